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

/** Whether If-None-Match names the agent's current state (weak comparison), so a 304 answers. */
export function noneMatchHits(header: string | undefined, agent: Agent): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return [...header.matchAll(/(?:W\/)?"([^"]*)"/g)].some((match) => match[1] === agent.entityTag);
}
