import fc from 'fast-check';
import { compareSemver, isSemver, nextPatch } from './semver.js';

/** Small numbers and a few identifiers, so that generated versions often share parts. */
const numeric = fc.integer({ min: 0, max: 12 }).map(String);
const preReleaseIdentifier = fc.oneof(numeric, fc.constantFrom('alpha', 'beta', 'rc', 'Alpha', 'x-y', '0a', 'beta2'));
const buildIdentifier = fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/);

const core = fc.tuple(numeric, numeric, numeric).map((parts) => parts.join('.'));
const preRelease = fc.option(fc.array(preReleaseIdentifier, { minLength: 1, maxLength: 3 }).map((ids) => ids.join('.')), { nil: undefined });
const build = fc.option(fc.array(buildIdentifier, { minLength: 1, maxLength: 2 }).map((ids) => ids.join('.')), { nil: undefined });

/** A version without build metadata. */
const plainVersion = fc.tuple(core, preRelease).map(([c, pre]) => (pre ? `${c}-${pre}` : c));
/** Any version, build metadata included. */
const version = fc.tuple(plainVersion, build).map(([plain, meta]) => (meta ? `${plain}+${meta}` : plain));

const sign = (n: number) => Math.sign(n) || 0; // no -0

/** semver.org, item 11: "Example: 1.0.0-alpha < 1.0.0-alpha.1 < ... < 1.0.0". */
const SEMVER_ORG_CHAIN = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];

describe('compareSemver', () => {
  describe('the semver.org precedence examples', () => {
    const pairs = SEMVER_ORG_CHAIN.flatMap((lower, i) => SEMVER_ORG_CHAIN.slice(i + 1).map((higher) => [lower, higher] as const));

    it.each(pairs)('%s < %s', (lower, higher) => {
      expect(compareSemver(lower, higher)).toBeLessThan(0);
      expect(compareSemver(higher, lower)).toBeGreaterThan(0);
    });

    it('sorts any shuffle of the chain back into it', () => {
      fc.assert(
        fc.property(fc.shuffledSubarray(SEMVER_ORG_CHAIN, { minLength: SEMVER_ORG_CHAIN.length }), (shuffled) => {
          expect([...shuffled].sort(compareSemver)).toEqual(SEMVER_ORG_CHAIN);
        }),
      );
    });

    it.each([
      ['1.0.0', '2.0.0'],
      ['2.0.0', '2.1.0'],
      ['2.1.0', '2.1.1'],
    ])('major, minor and patch compare numerically: %s < %s', (lower, higher) => {
      expect(compareSemver(lower, higher)).toBeLessThan(0);
    });
  });

  it.each([
    ['1.0.0-alpha', '1.0.0', -1, 'a pre-release is lower than its release'],
    ['1.0.0-rc.1', '0.9.9', 1, 'the core compares first'],
    ['1.0.1-rc.1', '1.0.1', -1, 'a pre-release of the next patch is lower than it'],
    ['1.0.1-rc.1', '1.0.0', 1, '... and higher than the release before'],
    ['1.10.0', '1.9.0', 1, 'numbers, not text'],
    ['1.0.0-2', '1.0.0-10', -1, 'numeric identifiers compare numerically'],
    ['1.0.0-10', '1.0.0-a', -1, 'numeric identifiers are lower than alphanumeric ones'],
    ['1.0.0-Beta', '1.0.0-alpha', -1, 'alphanumeric identifiers compare in ASCII order'],
    ['1.0.0-a-b', '1.0.0-a', 1, 'hyphens are part of an identifier'],
    ['1.0.0-alpha.1', '1.0.0-alpha', 1, 'more identifiers are higher when the others are equal'],
    ['1.0.0-0a', '1.0.0-1', 1, 'an identifier with a letter is alphanumeric, even starting with digits'],
    ['9007199254740993.0.0', '9007199254740992.0.0', 1, 'beyond the double precision'],
    ['1.0.0-9007199254740993', '1.0.0-9007199254740992', 1, 'beyond the double precision, in a pre-release'],
  ])('compares %s to %s as %d (%s)', (a, b, expected) => {
    expect(sign(compareSemver(a, b))).toBe(expected);
    expect(sign(compareSemver(b, a))).toBe(-expected);
  });

  it('ignores build metadata', () => {
    expect(compareSemver('1.0.0+build.1', '1.0.0')).toBe(0);
    expect(compareSemver('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
    expect(compareSemver('1.0.0-alpha+001', '1.0.0-alpha')).toBe(0);
    expect(compareSemver('1.0.0+zzz', '1.0.1')).toBeLessThan(0);
    fc.assert(
      fc.property(plainVersion, plainVersion, buildIdentifier, build, (a, b, metaA, metaB) => {
        expect(compareSemver(`${a}+${metaA}`, a)).toBe(0);
        expect(sign(compareSemver(`${a}+${metaA}`, metaB ? `${b}+${metaB}` : b))).toBe(sign(compareSemver(a, b)));
      }),
    );
  });

  it('is reflexive', () => {
    fc.assert(
      fc.property(version, (a) => {
        expect(compareSemver(a, a)).toBe(0);
      }),
    );
  });

  it('is antisymmetric', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(sign(compareSemver(a, b))).toBe(-sign(compareSemver(b, a)));
      }),
    );
  });

  it('is equal only for the same version up to build metadata', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        const withoutBuild = (text: string) => text.split('+')[0];
        expect(compareSemver(a, b) === 0).toBe(withoutBuild(a) === withoutBuild(b));
      }),
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        if (compareSemver(a, b) <= 0 && compareSemver(b, c) <= 0) expect(compareSemver(a, c)).toBeLessThanOrEqual(0);
        if (compareSemver(a, b) < 0 && compareSemver(b, c) <= 0) expect(compareSemver(a, c)).toBeLessThan(0);
      }),
    );
  });

  it('orders consistently: sorting any list gives a sequence that never goes down', () => {
    fc.assert(
      fc.property(fc.array(version, { maxLength: 20 }), (versions) => {
        const sorted = [...versions].sort(compareSemver);
        for (let i = 1; i < sorted.length; i++) expect(compareSemver(sorted[i - 1], sorted[i])).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('puts every pre-release of a core below the release and above the release before', () => {
    fc.assert(
      fc.property(numeric, numeric, numeric, fc.array(preReleaseIdentifier, { minLength: 1, maxLength: 3 }), (major, minor, patch, ids) => {
        const release = `${major}.${minor}.${patch}`;
        expect(compareSemver(`${release}-${ids.join('.')}`, release)).toBeLessThan(0);
        if (patch !== '0') expect(compareSemver(`${release}-${ids.join('.')}`, `${major}.${minor}.${Number(patch) - 1}`)).toBeGreaterThan(0);
      }),
    );
  });

  it('throws on a text that is not a semantic version', () => {
    expect(() => compareSemver('1.0', '1.0.0')).toThrow('Not a semantic version: 1.0');
    expect(() => compareSemver('1.0.0', 'v1.0.0')).toThrow('Not a semantic version: v1.0.0');
  });
});

describe('nextPatch', () => {
  it.each([
    ['1.0.0', '1.0.1'],
    ['0.0.0', '0.0.1'],
    ['1.2.3', '1.2.4'],
    ['1.2.9', '1.2.10'],
    ['2.0.99', '2.0.100'],
    ['1.3.0-rc.1', '1.3.0'],
    ['1.0.1-alpha.beta', '1.0.1'],
    ['1.2.3+build.5', '1.2.4'],
    ['1.2.3-rc.1+build.5', '1.2.3'],
    ['1.2.9007199254740993', '1.2.9007199254740994'],
  ])('%s → %s', (version, next) => {
    expect(nextPatch(version)).toBe(next);
  });

  it('is a release of higher precedence', () => {
    fc.assert(
      fc.property(version, (v) => {
        const next = nextPatch(v);
        expect(isSemver(next)).toBe(true);
        expect(next).toMatch(/^\d+\.\d+\.\d+$/);
        expect(compareSemver(next, v)).toBeGreaterThan(0);
      }),
    );
  });

  it('keeps major and minor, and is the lowest release above the version', () => {
    fc.assert(
      fc.property(version, core, (v, other) => {
        const next = nextPatch(v);
        const [major, minor] = v.split('.');
        expect(next.split('.').slice(0, 2)).toEqual([major, minor]);
        // No release lies strictly between v and its next patch.
        if (compareSemver(other, v) > 0) expect(compareSemver(other, next)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('gives a strictly increasing sequence when repeated', () => {
    fc.assert(
      fc.property(version, fc.integer({ min: 1, max: 30 }), (start, steps) => {
        let current = start;
        for (let i = 0; i < steps; i++) {
          const next = nextPatch(current);
          expect(compareSemver(next, current)).toBeGreaterThan(0);
          current = next;
        }
      }),
    );
  });

  it('throws on a text that is not a semantic version', () => {
    expect(() => nextPatch('1.2')).toThrow('Not a semantic version: 1.2');
  });
});
