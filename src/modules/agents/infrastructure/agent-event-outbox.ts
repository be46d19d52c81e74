import { randomIdPart } from '../../../shared/domain/random-id.js';
import type { AgentEvent, ChangeOrigin } from '../domain/agent-event.js';
import { toAgentView } from '../interface/http/agent.response.js';

/**
 * The outbox's columns a change writes (the sequencer adds the position after commit), and the
 * order of their values in eventValues.
 */
export const OUTBOX_COLUMNS = 'project_id, id, type, subject, workspace_id, time, data';
export const EVENT_VALUE_COUNT = 7;

/** The placeholders of one event's values, from `$first` on, as eventValues orders them. */
export function eventPlaceholders(first: number): string {
  return `$${first}, $${first + 1}, $${first + 2}, $${first + 3}, $${first + 4}, $${first + 5}::timestamptz, $${first + 6}::json`;
}

export const INSERT_EVENT = `INSERT INTO agent_events (${OUTBOX_COLUMNS}) VALUES (${eventPlaceholders(1)})`;

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
