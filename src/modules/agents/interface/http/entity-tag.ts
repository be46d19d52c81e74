import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../../shared/domain/canonical-json.js';
import type { Agent } from '../../domain/agent.js';

/** The ETag header of an agent: a strong validator that changes whenever the agent does. */
export function etagOf(agent: Agent): string {
  return `"${agent.entityTag}"`;
}

/** If-Match's entity tags (strong comparison: weak ones never match), or ["*"]; undefined when absent. */
export function parseIfMatch(header: string | undefined): readonly string[] | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return ['*'];
  return [...header.matchAll(/(W\/)?"([^"]*)"/g)].filter((match) => !match[1]).map((match) => match[2]);
}

/**
 * The entity tag of an immutable representation (a version's view), unquoted: a digest of its
 * canonical JSON, so a strong validator that only an identical answer shares.
 */
export function representationTag(representation: unknown): string {
  return createHash('sha256').update(canonicalJson(representation)).digest('base64url').slice(0, 27);
}

/** Whether If-None-Match names `entityTag` (unquoted; weak comparison), so a 304 answers. */
export function noneMatchHits(header: string | undefined, entityTag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return [...header.matchAll(/(?:W\/)?"([^"]*)"/g)].some((match) => match[1] === entityTag);
}
