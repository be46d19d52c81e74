// Jest runs the TypeScript sources as native ES modules (Nest 12 ships ESM only), compiled by swc.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'es6' },
  },
];

// A few dependencies of CommonJS packages ship ESM only; Node requires them natively, Jest's
// CommonJS loader cannot, so they are compiled to CommonJS for the tests.
const ESM_ONLY_DEPENDENCIES = ['content-disposition', '@apidevtools/json-schema-ref-parser'];
const swcToCommonJs = [swc[0], { ...swc[1], module: { type: 'commonjs' } }];

const common = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`node_modules/(${ESM_ONLY_DEPENDENCIES.join('|')})/.+\\.js$`]: swcToCommonJs,
  },
  transformIgnorePatterns: [`node_modules/(?!(${ESM_ONLY_DEPENDENCIES.join('|')})/)`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  // The reliability suite's totals (requests by status class, rows lost), printed at the end of a
  // run that included it; silent otherwise.
  reporters: ['default', '<rootDir>/test/reliability/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 30 },
    // Not part of `npm test` (which selects unit and e2e): `npm run test:reliability`, built first,
    // in band (it restarts a database and stops servers, and measures time).
    {
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'],
      slowTestThreshold: 60,
    },
    // Not part of `npm test` either: Swagger UI driven in Debian's Chromium (playwright-core).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
};
