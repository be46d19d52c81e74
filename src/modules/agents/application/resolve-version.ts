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
  const agent = await agents.findById(projectId, agentId);
  if (!agent) throw new AgentNotFoundError(agentId);
  const resolved: AgentVersion[] = [];
  for (const ref of refs) {
    const version = await versionNamed(agents, projectId, agentId, ref, agent.version);
    const found = await agents.findVersion(projectId, agentId, version);
    if (!found) throw new AgentVersionNotFoundError(agentId, version);
    resolved.push(found);
  }
  return resolved;
}

async function versionNamed(agents: AgentRepository, projectId: string, agentId: string, ref: VersionRef, current: string): Promise<string> {
  if (ref.kind === 'version') return ref.version;
  if (ref.kind === 'latest') return current;
  const label = await agents.findLabel(projectId, agentId, ref.name);
  if (!label) throw new LabelNotFoundError(agentId, ref.name);
  return label.version;
}
