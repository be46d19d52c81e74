import { AGENT_EVENT_TYPES, type AgentEventType } from '../agents/domain/agent-event.js';
import { formatPosition, POSITION_DIGITS } from './event-position.js';

export const EVENT_TYPES = AGENT_EVENT_TYPES;
export type EventType = AgentEventType;

/** An event as the outbox keeps it, once the sequencer has given it its position. */
export interface StoredEvent {
  /** In the API's spelling (formatPosition): compares as text. */
  readonly position: string;
  readonly id: string;
  readonly type: EventType;
  /** The agent's id. */
  readonly subject: string;
  readonly projectId: string;
  readonly workspaceId: string;
  readonly time: Date;
  /** The CloudEvent's `data`, as the JSON text the change wrote. */
  readonly data: string;
}

/**
 * The columns a read selects, in the shape of EventRow: the position already padded, so that it
 * also sorts right as text. (Order reads by `agent_events.position`, the column, not this alias.)
 */
export const EVENT_COLUMNS = `lpad(position::text, ${POSITION_DIGITS}, '0') AS position, id, type, subject, project_id, workspace_id, time, data::text AS data`;

export interface EventRow {
  readonly position: string;
  readonly id: string;
  readonly type: EventType;
  readonly subject: string;
  readonly project_id: string;
  readonly workspace_id: string;
  readonly time: Date;
  readonly data: string;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: formatPosition(row.position),
    id: row.id,
    type: row.type,
    subject: row.subject,
    projectId: row.project_id,
    workspaceId: row.workspace_id,
    time: row.time,
    data: row.data,
  };
}

/**
 * The event as CloudEvents 1.0 JSON (structured mode), the one text the feed, the live stream and
 * NATS all send. Built as text: `data` is already JSON, so it is spliced in rather than parsed and
 * serialised again for every reader.
 */
export function cloudEventJson(event: StoredEvent): string {
  const envelope = {
    specversion: '1.0',
    id: event.id,
    source: '/v1/agents',
    type: event.type,
    subject: event.subject,
    time: event.time.toISOString(),
    datacontenttype: 'application/json',
    projectid: event.projectId,
    workspaceid: event.workspaceId,
    position: event.position,
  };
  const head = JSON.stringify(envelope);
  return `${head.slice(0, -1)},"data":${event.data}}`;
}
