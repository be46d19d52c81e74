import fc from 'fast-check';
import { isSemver } from './semver.js';

/** A numeric identifier as semver allows it: 0, or digits without a leading zero. */
const numeric = fc.nat({ max: 1_000_000 }).map(String);
/** A pre-release identifier: numeric without a leading zero, or alphanumerics with at least one non-digit. */
const preReleaseIdentifier = fc.oneof(numeric, fc.stringMatching(/^[0-9]*[A-Za-z-][0-9A-Za-z-]{0,5}$/));
const buildIdentifier = fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/);

const version = fc
  .record({
    major: numeric,
    minor: numeric,
    patch: numeric,
    preRelease: fc.option(fc.array(preReleaseIdentifier, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    build: fc.option(fc.array(buildIdentifier, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  })
  .map(({ major, minor, patch, preRelease, build }) => {
    let text = `${major}.${minor}.${patch}`;
    if (preRelease) text += `-${preRelease.join('.')}`;
    if (build) text += `+${build.join('.')}`;
    return text;
  });

describe('isSemver', () => {
  it.each(['1.0.0', '0.0.0', '0.1.0', '10.20.30', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-0.3.7', '1.0.0-x.7.z.92', '1.0.0-x-y-z.--', '1.0.0+20130313144700', '1.0.0-beta+exp.sha.5114f85', '1.0.0+21AF26D3----117B344092BD'])(
    'accepts %s',
    (text) => {
      expect(isSemver(text)).toBe(true);
    },
  );

  it.each(['', '1', '1.0', '1.0.0.0', 'v1.0.0', 'V1.0.0', '01.0.0', '1.01.0', '1.0.01', '1.0.0-', '1.0.0+', '1.0.0-01', '1.0.0-alpha..1', '1.0.0+build..1', '1.0.0-alpha_1', ' 1.0.0', '1.0.0 ', '1.0.0\n', '-1.0.0', '1.-1.0', 'a.b.c', '1.0.0-é'])(
    'refuses %j',
    (text) => {
      expect(isSemver(text)).toBe(false);
    },
  );

  it('accepts every major.minor.patch of non-negative integers', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (major, minor, patch) => {
        expect(isSemver(`${major}.${minor}.${patch}`)).toBe(true);
      }),
    );
  });

  it('accepts every well-formed version up to 64 characters, with pre-release and build parts', () => {
    fc.assert(
      fc.property(
        version.filter((text) => text.length <= 64),
        (text) => {
          expect(isSemver(text)).toBe(true);
        },
      ),
    );
  });

  it('refuses a well-formed version longer than 64 characters', () => {
    fc.assert(
      fc.property(numeric, fc.integer({ min: 65, max: 300 }), (major, length) => {
        const head = `${major}.0.0-`;
        const text = head + 'a'.repeat(length - head.length);
        expect(text).toHaveLength(length);
        expect(isSemver(text)).toBe(false);
      }),
    );
  });

  it('accepts exactly 64 characters', () => {
    const text = `1.0.0-${'a'.repeat(58)}`;
    expect(text).toHaveLength(64);
    expect(isSemver(text)).toBe(true);
  });

  it('refuses a numeric part with a leading zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 99_999 }), (position, value) => {
        const parts = ['1', '2', '3'];
        parts[position] = `0${value}`;
        expect(isSemver(parts.join('.'))).toBe(false);
      }),
    );
  });

  it('refuses a numeric pre-release identifier with a leading zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (value) => {
        expect(isSemver(`1.0.0-0${value}`)).toBe(false);
      }),
    );
  });

  it('refuses a version with a leading "v" or surrounding whitespace', () => {
    fc.assert(
      fc.property(version, fc.constantFrom(' ', '\t', '\n', '\r'), (text, space) => {
        expect(isSemver(`v${text}`)).toBe(false);
        expect(isSemver(space + text)).toBe(false);
        expect(isSemver(text + space)).toBe(false);
      }),
    );
  });

  it('refuses fewer or more than three numeric parts', () => {
    fc.assert(
      fc.property(
        fc.array(numeric, { minLength: 1, maxLength: 6 }).filter((parts) => parts.length !== 3),
        (parts) => {
          expect(isSemver(parts.join('.'))).toBe(false);
        },
      ),
    );
  });
});
