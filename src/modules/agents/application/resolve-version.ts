import type { AgentVersion } from '../domain/agent-version.js';
import { AgentNotFoundError, AgentVersionNotFoundError, LabelNotFoundError } from '../domain/agent.errors.js';
import type { AgentRepository } from '../domain/agent.repository.js';
import type { VersionRef } from '../domain/version-ref.js';

/**
 * The versions `refs` name on the caller's live agent, in their order: a version as it is, a label
 * through the version it names now, latest as the agent's current version. A deleted agent's
 * versions and labels go with it, as far as any route can tell.
 */
export async function resolveVersions(agents: AgentRepository, projectId: string, agentId: string, refs: readonly VersionRef[]): Promise<AgentVersion[]> {
  const resolved: AgentVersion[] = [];
  for (const ref of refs) {
    const lookup = await agents.findVersionByRef(projectId, agentId, ref);
    if ('found' in lookup) resolved.push(lookup.found);
    else if (lookup.missing === 'agent') throw new AgentNotFoundError(agentId);
    else if (lookup.missing === 'label') throw new LabelNotFoundError(agentId, (ref as { name: string }).name);
    else throw new AgentVersionNotFoundError(agentId, lookup.version);
  }
  return resolved;
}
