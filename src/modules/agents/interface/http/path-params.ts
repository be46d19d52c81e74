import { AgentNotFoundError, AgentVersionNotFoundError } from '../../domain/agent.errors.js';
import { AGENT_ID_PATTERN, LIMITS } from '../../domain/agent-rules.js';
import { isSemver } from '../../domain/semver.js';

/** An id no agent can have is a 404 at once, without asking the database. */
export function agentIdParam(id: string): string {
  if (id.length > LIMITS.idLength || !AGENT_ID_PATTERN.test(id)) throw new AgentNotFoundError(id.slice(0, LIMITS.idLength));
  return id;
}

export function versionParam(agentId: string, version: string): string {
  if (!isSemver(version)) throw new AgentVersionNotFoundError(agentId, version.slice(0, 64));
  return version;
}
