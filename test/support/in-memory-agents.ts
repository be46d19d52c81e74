import { Agent } from '../../src/modules/agents/domain/agent.js';
import { AgentIdConflictError, AgentVersionNotFoundError, LabelNotFoundError } from '../../src/modules/agents/domain/agent.errors.js';
import { AgentRepository, type LabelMove, type ModifyOptions } from '../../src/modules/agents/domain/agent.repository.js';
import { createdEvent, deletedEvent, labelEvent, updatedEvent, type AgentEvent, type ChangeOrigin } from '../../src/modules/agents/domain/agent-event.js';
import type { AgentLabel } from '../../src/modules/agents/domain/agent-label.js';
import { authorOf, type AgentVersion } from '../../src/modules/agents/domain/agent-version.js';

/**
 * The AgentRepository port in memory, for handler tests: same contract, no database. As the
 * PostgreSQL adapter does: reads hand out a fresh aggregate (never the stored one), a refused change
 * leaves nothing behind, the default flag moves to a new default in the same write, a soft delete
 * hides the agent for good (its id stays taken, its versions and labels stay stored), a hard delete
 * removes the agent with its versions and labels, a version records the origin's user and key as its
 * author, a label names a version the agent has and moving it leaves the agent as it was. Every stored
 * change records its events (one per changed agent) in `events`.
 */
export class InMemoryAgents extends AgentRepository {
  readonly agents = new Map<string, Agent>();
  readonly deleted = new Set<string>();
  readonly versions: AgentVersion[] = [];
  /** By agent key, then label name. */
  readonly labels = new Map<string, Map<string, AgentLabel>>();
  readonly events: { readonly event: AgentEvent; readonly origin: ChangeOrigin }[] = [];

  async insert(agent: Agent, origin: ChangeOrigin): Promise<void> {
    const key = keyOf(agent.projectId, agent.id);
    if (this.agents.has(key) || this.deleted.has(key)) throw new AgentIdConflictError(agent.id);
    if (agent.isDefault) this.clearDefault(agent.projectId, agent.id, agent.snapshot().updatedAt, origin);
    this.agents.set(key, agent);
    this.versions.push({ ...agent.recordedVersion!, createdBy: authorOf(origin) });
    this.events.push({ event: createdEvent(agent), origin });
  }

  async findById(projectId: string, id: string): Promise<Agent | null> {
    const stored = this.agents.get(keyOf(projectId, id));
    return stored ? Agent.reconstitute(stored.snapshot()) : null;
  }

  async modify(projectId: string, id: string, change: (agent: Agent) => void | Promise<void>, options: ModifyOptions): Promise<Agent | null> {
    const stored = this.agents.get(keyOf(projectId, id));
    if (!stored) return null;
    // Work on a copy, so that a refused change leaves nothing behind (as a rolled-back transaction).
    const agent = Agent.reconstitute(stored.snapshot());
    const before = agent.snapshot();
    await change(agent);
    const after = agent.snapshot();
    if (after !== before) {
      if (after.isDefault && !before.isDefault) {
        // As the adapter: a move of the flag must have been announced, its lock is taken before the row's.
        if (!options.mayBecomeDefault) throw new Error(`A change made agent ${id} the default without mayBecomeDefault`);
        this.clearDefault(projectId, id, after.updatedAt, options.origin);
      }
      this.agents.set(keyOf(projectId, id), agent);
      if (agent.recordedVersion) this.versions.push({ ...agent.recordedVersion, createdBy: authorOf(options.origin) });
      this.events.push({ event: updatedEvent(before, agent, options.cause), origin: options.origin });
    }
    return agent;
  }

  async remove(projectId: string, id: string, mode: 'soft' | 'hard', check: (agent: Agent) => void, origin: ChangeOrigin): Promise<boolean> {
    const key = keyOf(projectId, id);
    const agent = this.agents.get(key);
    if (!agent) return false;
    check(Agent.reconstitute(agent.snapshot()));
    this.agents.delete(key);
    this.events.push({ event: deletedEvent(agent, mode === 'hard', new Date()), origin });
    if (mode === 'soft') {
      this.deleted.add(key);
    } else {
      // The versions and labels go with the agent (ON DELETE CASCADE).
      const kept = this.versions.filter((version) => version.projectId !== projectId || version.agentId !== id);
      this.versions.splice(0, this.versions.length, ...kept);
      this.labels.delete(key);
    }
    return true;
  }

  async findVersion(projectId: string, agentId: string, version: string): Promise<AgentVersion | null> {
    return this.versions.find((v) => v.projectId === projectId && v.agentId === agentId && v.version === version) ?? null;
  }

  async setLabel(projectId: string, agentId: string, name: string, version: string, check: (agent: Agent) => void, origin: ChangeOrigin): Promise<LabelMove | null> {
    const stored = this.agents.get(keyOf(projectId, agentId));
    if (!stored) return null;
    const agent = Agent.reconstitute(stored.snapshot());
    check(agent);
    const labels = this.labelsOf(projectId, agentId);
    const current = labels.get(name);
    if (current && current.version === version) return { agent, label: current, moved: false };
    if (!(await this.findVersion(projectId, agentId, version))) throw new AgentVersionNotFoundError(agentId, version);
    const now = new Date();
    const label = { name, version, updatedAt: current && current.updatedAt > now ? current.updatedAt : now };
    labels.set(name, label);
    this.events.push({ event: labelEvent(agent, { name, version }, label.updatedAt), origin });
    return { agent, label, moved: true };
  }

  async removeLabel(projectId: string, agentId: string, name: string, check: (agent: Agent) => void, origin: ChangeOrigin): Promise<Agent | null> {
    const stored = this.agents.get(keyOf(projectId, agentId));
    if (!stored) return null;
    const agent = Agent.reconstitute(stored.snapshot());
    check(agent);
    if (!this.labelsOf(projectId, agentId).delete(name)) throw new LabelNotFoundError(agentId, name);
    this.events.push({ event: labelEvent(agent, { name, version: null }, new Date()), origin });
    return agent;
  }

  async findLabel(projectId: string, agentId: string, name: string): Promise<AgentLabel | null> {
    return this.labels.get(keyOf(projectId, agentId))?.get(name) ?? null;
  }

  private labelsOf(projectId: string, agentId: string): Map<string, AgentLabel> {
    const key = keyOf(projectId, agentId);
    let labels = this.labels.get(key);
    if (!labels) this.labels.set(key, (labels = new Map()));
    return labels;
  }

  /** The project's other default agent loses the flag (a change of it: its revision moves, its time never goes back). */
  private clearDefault(projectId: string, exceptId: string, now: Date, origin: ChangeOrigin): void {
    for (const [key, other] of this.agents) {
      const props = other.snapshot();
      if (props.projectId !== projectId || props.id === exceptId || !props.isDefault) continue;
      const updatedAt = now < props.updatedAt ? props.updatedAt : now; // as GREATEST(now, updated_at)
      const cleared = Agent.reconstitute({ ...props, isDefault: false, revision: props.revision + 1, updatedAt });
      this.agents.set(key, cleared);
      this.events.push({ event: updatedEvent(props, cleared, 'default_moved'), origin });
    }
  }
}

function keyOf(projectId: string, id: string): string {
  return `${projectId}\u0000${id}`;
}

/**
 * InMemoryAgents whose `modify` first waits `waitMs` for the agent's lock (as behind another
 * writer), and notes when it got it: a change must be timed after that.
 */
export class ContendedAgents extends InMemoryAgents {
  lockedAt: Date | null = null;

  constructor(private readonly waitMs: number) {
    super();
  }

  override async modify(projectId: string, id: string, change: (agent: Agent) => void | Promise<void>, options: ModifyOptions): Promise<Agent | null> {
    await new Promise((resolve) => setTimeout(resolve, this.waitMs));
    this.lockedAt = new Date();
    return super.modify(projectId, id, change, options);
  }
}
