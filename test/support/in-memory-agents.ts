import { Agent } from '../../src/modules/agents/domain/agent.js';
import { AgentIdConflictError } from '../../src/modules/agents/domain/agent.errors.js';
import { AgentRepository } from '../../src/modules/agents/domain/agent.repository.js';
import type { AgentVersion } from '../../src/modules/agents/domain/agent-version.js';

/** The AgentRepository port in memory, for handler tests: same contract, no database. */
export class InMemoryAgents extends AgentRepository {
  readonly agents = new Map<string, Agent>();
  readonly deleted = new Set<string>();
  readonly versions: AgentVersion[] = [];

  async insert(agent: Agent): Promise<void> {
    const key = keyOf(agent.projectId, agent.id);
    if (this.agents.has(key) || this.deleted.has(key)) throw new AgentIdConflictError(agent.id);
    this.agents.set(key, agent);
    this.versions.push(agent.recordedVersion!);
  }

  async findById(projectId: string, id: string): Promise<Agent | null> {
    return this.agents.get(keyOf(projectId, id)) ?? null;
  }

  async modify(projectId: string, id: string, change: (agent: Agent) => void | Promise<void>): Promise<Agent | null> {
    const stored = this.agents.get(keyOf(projectId, id));
    if (!stored) return null;
    // Work on a copy, so that a refused change leaves nothing behind (as a rolled-back transaction).
    const agent = Agent.reconstitute(stored.snapshot());
    await change(agent);
    if (agent.snapshot() !== stored.snapshot()) {
      this.agents.set(keyOf(projectId, id), agent);
      if (agent.recordedVersion) this.versions.push(agent.recordedVersion);
    }
    return agent;
  }

  async remove(projectId: string, id: string, mode: 'soft' | 'hard', check: (agent: Agent) => void): Promise<boolean> {
    const key = keyOf(projectId, id);
    const agent = this.agents.get(key);
    if (!agent) return false;
    check(agent);
    this.agents.delete(key);
    if (mode === 'soft') this.deleted.add(key);
    return true;
  }

  async findVersion(projectId: string, agentId: string, version: string): Promise<AgentVersion | null> {
    return this.versions.find((v) => v.projectId === projectId && v.agentId === agentId && v.version === version) ?? null;
  }
}

function keyOf(projectId: string, id: string): string {
  return `${projectId}\u0000${id}`;
}
