// The layer rules of the design (npm test runs this): the domain is plain TypeScript, the
// application layer knows no adapter, and only the interface layer speaks HTTP.
module.exports = {
  forbidden: [
    {
      name: 'domain-is-plain-typescript',
      comment: 'A domain file imports nothing from Nest, TypeORM, an HTTP library or another layer.',
      severity: 'error',
      from: { path: '/domain/' },
      to: {
        pathNot: ['/domain/', '^node:', '^(crypto|buffer)$'],
      },
    },
    {
      name: 'application-knows-no-adapter',
      comment: 'Use cases depend on ports, never on TypeORM, Fastify or the HTTP interface.',
      severity: 'error',
      from: { path: '/application/' },
      to: { path: ['/infrastructure/', '/interface/', 'node_modules/(typeorm|fastify|pg|@nestjs/platform-fastify|@nestjs/swagger|class-validator)/'] },
    },
    {
      name: 'http-exceptions-stay-in-the-interface',
      comment: 'HTTP status codes are chosen in one place (shared/http), not in the domain or the use cases.',
      severity: 'error',
      from: { path: '/(domain|application|infrastructure)/' },
      to: { path: '/shared/http/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
