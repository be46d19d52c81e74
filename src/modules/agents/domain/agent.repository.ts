import type { Agent } from './agent.js';
import type { ChangeOrigin, EventCause } from './agent-event.js';
import type { AgentLabel } from './agent-label.js';
import type { AgentVersion } from './agent-version.js';
import type { VersionRef } from './version-ref.js';

export interface ModifyOptions {
  /** Who asks for the change: its event records them. */
  readonly origin: ChangeOrigin;
  readonly cause: Extract<EventCause, 'patch' | 'restore'>;
  /** The change may make the agent the default (a PATCH with isDefault: true). */
  readonly mayBecomeDefault?: boolean;
}

/** What setting a label did: the label as it now is, and whether it moved (one already on that version did not). */
export interface LabelMove {
  readonly agent: Agent;
  readonly label: AgentLabel;
  readonly moved: boolean;
}

/** What findVersionByRef found: the version, or which of the agent, the label or the version is not there. */
export type VersionLookup =
  | { readonly found: AgentVersion }
  | { readonly missing: 'agent' }
  | { readonly missing: 'label' }
  | { readonly missing: 'version'; readonly version: string };

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

  /**
   * The version `ref` names on the live agent: that version, the one a label names now, or the
   * current one; else what is missing. This default asks findById, findLabel and findVersion in
   * turn; an adapter may answer it in one round trip (the runners' pinned reads ask it).
   */
  async findVersionByRef(projectId: string, agentId: string, ref: VersionRef): Promise<VersionLookup> {
    const agent = await this.findById(projectId, agentId);
    if (!agent) return { missing: 'agent' };
    let version = ref.kind === 'version' ? ref.version : agent.version;
    if (ref.kind === 'label') {
      const label = await this.findLabel(projectId, agentId, ref.name);
      if (!label) return { missing: 'label' };
      version = label.version;
    }
    const found = await this.findVersion(projectId, agentId, version);
    return found ? { found } : { missing: 'version', version };
  }

  /**
   * Points the label `name` of the agent at `version` (creating it or moving it), under the agent's
   * row lock as any change of the agent, once `check` lets it: concurrent moves queue, the last one
   * wins. The agent itself does not change. A move stores its label event; a label already on
   * `version` stays as it was. Null when there is no such agent; AgentVersionNotFoundError when it
   * has no such version.
   */
  abstract setLabel(projectId: string, agentId: string, name: string, version: string, check: (agent: Agent) => void, origin: ChangeOrigin): Promise<LabelMove | null>;

  /** Deletes the label under the agent's row lock once `check` lets it, with its event. Null when there is no such agent; LabelNotFoundError when it has no such label. */
  abstract removeLabel(projectId: string, agentId: string, name: string, check: (agent: Agent) => void, origin: ChangeOrigin): Promise<Agent | null>;

  abstract findLabel(projectId: string, agentId: string, name: string): Promise<AgentLabel | null>;
}
