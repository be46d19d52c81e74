// semver.org's own pattern for a version (2.0.0), without a leading "v".
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const MAX_LENGTH = 64;

export function isSemver(text: string): boolean {
  return text.length <= MAX_LENGTH && SEMVER.test(text);
}

interface ParsedSemver {
  readonly core: [bigint, bigint, bigint];
  readonly prerelease: readonly string[];
}

function parse(text: string): ParsedSemver {
  const match = SEMVER.exec(text);
  if (!match) throw new Error(`Not a semantic version: ${text}`);
  return {
    core: [BigInt(match[1]), BigInt(match[2]), BigInt(match[3])],
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

/** Negative, zero or positive as `a` has lower, equal or higher precedence than `b` (build metadata ignored). */
export function compareSemver(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  for (let i = 0; i < 3; i++) {
    if (left.core[i] !== right.core[i]) return left.core[i] < right.core[i] ? -1 : 1;
  }
  // A pre-release has lower precedence than its release.
  if (left.prerelease.length === 0 || right.prerelease.length === 0) {
    return right.prerelease.length - left.prerelease.length;
  }
  const length = Math.min(left.prerelease.length, right.prerelease.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifiers(left.prerelease[i], right.prerelease[i]);
    if (order !== 0) return order;
  }
  return left.prerelease.length - right.prerelease.length;
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return BigInt(a) === BigInt(b) ? 0 : BigInt(a) < BigInt(b) ? -1 : 1;
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The next patch release: 1.2.3 → 1.2.4, and a pre-release to its release (1.3.0-rc.1 → 1.3.0). */
export function nextPatch(version: string): string {
  const { core, prerelease } = parse(version);
  const patch = prerelease.length > 0 ? core[2] : core[2] + 1n;
  return `${core[0]}.${core[1]}.${patch}`;
}
