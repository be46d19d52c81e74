import type { Agent } from './agent.js';
import type { ChangeOrigin, EventCause } from './agent-event.js';
import type { AgentVersion } from './agent-version.js';

export interface ModifyOptions {
  /** Who asks for the change: its event records them. */
  readonly origin: ChangeOrigin;
  readonly cause: Extract<EventCause, 'patch' | 'restore'>;
  /** The change may make the agent the default (a PATCH with isDefault: true). */
  readonly mayBecomeDefault?: boolean;
}

/**
 * Where agents are kept. Every method takes the tenant (project) first; deleted agents are never
 * found. Every stored change also stores its event (agent-event.ts) in the same transaction: one per
 * changed agent, none for a change that changed nothing or did not commit.
 */
export abstract class AgentRepository {
  /**
   * Stores a new agent and its first version; when it is the project's default, the flag moves to
   * it in the same atomic write. Throws AgentIdConflictError when the project has (or had) its id.
   */
  abstract insert(agent: Agent, origin: ChangeOrigin): Promise<void>;

  abstract findById(projectId: string, id: string): Promise<Agent | null>;

  /**
   * Runs `change` on the agent while no other writer can touch it, then stores what it changed
   * (and the version it recorded) in the same transaction. Null when there is no such agent.
   * A change that may make the agent the project's default must say so up front (`mayBecomeDefault`):
   * moves of the flag are serialised per project, and that is settled before the agent is locked.
   */
  abstract modify(projectId: string, id: string, change: (agent: Agent) => void | Promise<void>, options: ModifyOptions): Promise<Agent | null>;

  /** Deletes the agent (soft: hidden for good, its id kept; hard: gone with its versions) once `check` lets it. */
  abstract remove(projectId: string, id: string, mode: 'soft' | 'hard', check: (agent: Agent) => void, origin: ChangeOrigin): Promise<boolean>;

  abstract findVersion(projectId: string, agentId: string, version: string): Promise<AgentVersion | null>;
}
