import { ApiParam } from '@nestjs/swagger';
import { AgentNotFoundError, AgentVersionNotFoundError } from '../../domain/agent.errors.js';
import { AGENT_ID_PATTERN, LIMITS } from '../../domain/agent-rules.js';
import { isSemver } from '../../domain/semver.js';

/** The longest version isSemver accepts (domain/semver.ts keeps it private), for the OpenAPI document. */
export const VERSION_MAX_LENGTH = 64;

export const ApiAgentIdParam = ApiParam({
  name: 'id',
  description: 'The agent id (an id no agent can have is a 404)',
  schema: { type: 'string', maxLength: LIMITS.idLength, pattern: AGENT_ID_PATTERN.source, example: 'support-bot' },
});

export const ApiVersionParam = ApiParam({
  name: 'version',
  description: 'A semantic version of the agent',
  schema: { type: 'string', maxLength: VERSION_MAX_LENGTH, example: '1.0.0' },
});

/** An id no agent can have is a 404 at once, without asking the database. */
export function agentIdParam(id: string): string {
  if (id.length > LIMITS.idLength || !AGENT_ID_PATTERN.test(id)) throw new AgentNotFoundError(id.slice(0, LIMITS.idLength));
  return id;
}

export function versionParam(agentId: string, version: string): string {
  if (!isSemver(version)) throw new AgentVersionNotFoundError(agentId, version.slice(0, 64));
  return version;
}
