import { LABEL_PATTERN, LATEST } from './agent-label.js';
import { isSemver } from './semver.js';

/**
 * How a read names a version: by its semver, by a label, or as `latest` (the current one). The
 * three cannot be confused: a semver starts with a digit and has dots, a label starts with a letter
 * and has none.
 */
export type VersionRef =
  | { readonly kind: 'version'; readonly version: string }
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'latest' };

/** The reference `text` spells, or null when it is neither a version nor a label name. */
export function parseVersionRef(text: string): VersionRef | null {
  if (isSemver(text)) return { kind: 'version', version: text };
  if (text === LATEST) return { kind: 'latest' };
  if (LABEL_PATTERN.test(text)) return { kind: 'label', name: text };
  return null;
}

/** The reference as a path segment spells it. */
export function formatVersionRef(ref: VersionRef): string {
  return ref.kind === 'version' ? ref.version : ref.kind === 'label' ? ref.name : LATEST;
}
