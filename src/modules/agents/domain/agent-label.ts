import type { Violation } from '../../../shared/domain/domain-error.js';

/** The label every agent has without setting it: its current version. It can be read, never set or deleted. */
export const LATEST = 'latest';

export const LABEL_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const LABEL_MAX_LENGTH = 32;

/** A name that runners pin (production, staging…) on one version of an agent. */
export interface AgentLabel {
  readonly name: string;
  readonly version: string;
  readonly updatedAt: Date;
}

/** A label as its event tells it: the version it now names, null once it was deleted. */
export interface LabelState {
  readonly name: string;
  readonly version: string | null;
}

/** Why `name` cannot be set or deleted (`path` empty: the caller says where the name came from), or null when it can. */
export function labelNameViolation(name: string): Violation | null {
  if (name === LATEST) {
    return { path: [], code: 'label_reserved', message: `${LATEST} is reserved: it always names the current version, and cannot be set or deleted` };
  }
  if (!LABEL_PATTERN.test(name)) {
    return { path: [], code: 'label_pattern', message: `A label is ${LABEL_PATTERN.source}: a lowercase letter, then up to 31 lowercase letters, digits, _ or -` };
  }
  return null;
}
