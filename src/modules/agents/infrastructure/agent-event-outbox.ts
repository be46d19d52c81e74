import { randomIdPart } from '../../../shared/domain/random-id.js';
import type { AgentEvent, ChangeOrigin } from '../domain/agent-event.js';
import { toAgentView } from '../interface/http/agent.response.js';

/**
 * The outbox's columns a change writes, with their types, in the order of eventValues' values
 * (the sequencer adds the position after commit).
 */
export const OUTBOX_COLUMN_TYPES = [
  ['project_id', 'text'], ['id', 'text'], ['type', 'text'], ['subject', 'text'],
  ['workspace_id', 'text'], ['time', 'timestamptz'], ['data', 'json'],
] as const;

export const OUTBOX_COLUMNS = OUTBOX_COLUMN_TYPES.map(([name]) => name).join(', ');

export const INSERT_EVENT = `INSERT INTO agent_events (${OUTBOX_COLUMNS}) VALUES (${OUTBOX_COLUMN_TYPES.map(([, type], index) => `$${index + 1}::${type}`).join(', ')})`;

/** A new event id: "evt_" and 128 random bits. */
function newEventId(): string {
  return `evt_${randomIdPart()}`;
}

/**
 * An event's column values. `data.agent` is made by the same function that makes GET's answer,
 * so that it is the agent exactly as GET /v1/agents/{id} returns it.
 */
export function eventValues(event: AgentEvent, origin: ChangeOrigin): unknown[] {
  const agent = event.agent.snapshot();
  const data = {
    agent: toAgentView(event.agent),
    changedFields: event.changedFields,
    cause: event.cause,
    actor: { userId: origin.userId, keyId: origin.keyId },
    ...(event.hard !== undefined ? { hard: event.hard } : {}),
    ...(event.label !== undefined ? { label: { name: event.label.name, version: event.label.version } } : {}),
  };
  return [agent.projectId, newEventId(), event.type, agent.id, origin.workspaceId, event.time, JSON.stringify(data)];
}
