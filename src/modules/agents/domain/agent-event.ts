import { canonicalJson } from '../../../shared/domain/canonical-json.js';
import type { Agent, AgentProps } from './agent.js';
import type { LabelState } from './agent-label.js';

export const AGENT_EVENT_TYPES = ['agent.created', 'agent.updated', 'agent.deleted'] as const;
export type AgentEventType = (typeof AGENT_EVENT_TYPES)[number];

/** Why an agent changed: the route that changed it, or, for a default's loss of the flag, the move. */
export const EVENT_CAUSES = ['create', 'patch', 'restore', 'default_moved', 'label', 'delete'] as const;
export type EventCause = (typeof EVENT_CAUSES)[number];

/** Where a change came from, as its events record it: the caller's workspace, user and API key. */
export interface ChangeOrigin {
  readonly workspaceId: string;
  readonly userId: string;
  readonly keyId: string;
}

/** One stored change of one agent, as its event tells it. */
export interface AgentEvent {
  readonly type: AgentEventType;
  readonly cause: EventCause;
  /** The agent after the change; for a delete, its last state. */
  readonly agent: Agent;
  readonly changedFields: readonly string[];
  readonly time: Date;
  /** agent.deleted only. */
  readonly hard?: boolean;
  /** A label's move or deletion (cause label) only. */
  readonly label?: LabelState;
}

/**
 * Fields a change moves by itself, not the change's content: left out of changedFields. (A change of
 * configuration also moves `version`; the versioned fields that changed say what changed.)
 */
const BOOKKEEPING: ReadonlySet<keyof AgentProps> = new Set(['version', 'revision', 'createdAt', 'updatedAt', 'lastRunAt']);

/** The agent's fields whose value differs, as the API spells them, in the order the agent holds them. */
export function changedAgentFields(before: AgentProps, after: AgentProps): string[] {
  return (Object.keys(after) as (keyof AgentProps)[]).filter(
    (field) => !BOOKKEEPING.has(field) && canonicalJson(before[field]) !== canonicalJson(after[field]),
  );
}

export function createdEvent(agent: Agent): AgentEvent {
  return { type: 'agent.created', cause: 'create', agent, changedFields: [], time: agent.snapshot().createdAt };
}

export function updatedEvent(before: AgentProps, agent: Agent, cause: EventCause): AgentEvent {
  const after = agent.snapshot();
  return { type: 'agent.updated', cause, agent, changedFields: changedAgentFields(before, after), time: after.updatedAt };
}

export function deletedEvent(agent: Agent, hard: boolean, time: Date): AgentEvent {
  return { type: 'agent.deleted', cause: 'delete', agent, changedFields: [], time, hard };
}

/** A label moved or deleted: the agent itself did not change (no changed field, its ETag stays). */
export function labelEvent(agent: Agent, label: LabelState, time: Date): AgentEvent {
  return { type: 'agent.updated', cause: 'label', agent, changedFields: [], time, label };
}
