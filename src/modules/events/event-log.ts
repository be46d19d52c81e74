import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../../shared/database/prepared-statement.js';
import { formatPosition } from './event-position.js';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type EventType, type StoredEvent } from './stored-event.js';

export interface EventFilter {
  readonly type?: EventType;
  /** An agent's id. */
  readonly subject?: string;
}

export interface EventPage {
  readonly events: StoredEvent[];
  /** The last position retention removed from the project's log; null while it removed none. */
  readonly expiredThrough: string | null;
}

type PageRow = Partial<EventRow> & { expired_through: string | null };

// One round trip: the project's retention horizon (one row even when there is no event) joined to
// the page. Only positioned events are read (`position > $2` is false for NULL): an event gets its
// position after it committed, in order, so none can appear later behind one already read.
function pageStatement(filter: EventFilter): PreparedStatement<PageRow> {
  const conditions = ['project_id = $1', 'position > $2::bigint'];
  if (filter.type) conditions.push('type = $4');
  if (filter.subject) conditions.push(`subject = $${filter.type ? 5 : 4}`);
  return new PreparedStatement<PageRow>(
    `agent_events_page${filter.type ? '_type' : ''}${filter.subject ? '_subject' : ''}`,
    `SELECT horizon.expired_through::text AS expired_through, page.*
       FROM (SELECT 1) AS one
       LEFT JOIN agent_event_horizons horizon ON horizon.project_id = $1
       LEFT JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM agent_events
          WHERE ${conditions.join(' AND ')}
          ORDER BY agent_events.position LIMIT $3) AS page ON true
      ORDER BY page.position`,
  );
}

const PAGES = new Map<string, PreparedStatement<PageRow>>();

/** Every project's events after $1, up to $2, in order: the live streams' read, and the NATS relay's (on its own connection). */
export const EVERY_PROJECT_AFTER_SQL = `SELECT ${EVENT_COLUMNS} FROM agent_events WHERE position > $1::bigint ORDER BY agent_events.position LIMIT $2`;
const EVERY_PROJECT_AFTER = new PreparedStatement<EventRow>('agent_events_after', EVERY_PROJECT_AFTER_SQL);
const LAST_POSITION = new PreparedStatement<{ last_position: string }>(
  'agent_events_last_position',
  'SELECT last_position::text AS last_position FROM agent_event_counter',
);

/** Reads the events log: what has a position, oldest first. */
@Injectable()
export class EventLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` of the project's events after position `after`. */
  async page(projectId: string, after: string, limit: number, filter: EventFilter = {}): Promise<EventPage> {
    const key = `${filter.type ? 't' : ''}${filter.subject ? 's' : ''}`;
    let statement = PAGES.get(key);
    if (!statement) PAGES.set(key, (statement = pageStatement(filter)));
    const values: unknown[] = [projectId, after, limit];
    if (filter.type) values.push(filter.type);
    if (filter.subject) values.push(filter.subject);
    const rows = await statement.run(this.dataSource, values);
    return {
      expiredThrough: rows[0]?.expired_through ? formatPosition(rows[0].expired_through) : null,
      events: rows.filter((row) => row.position != null).map((row) => toStoredEvent(row as EventRow)),
    };
  }

  /** Up to `limit` events of every project after `after`: one read serves every live stream. */
  async everyProjectAfter(after: string, limit: number): Promise<StoredEvent[]> {
    return (await EVERY_PROJECT_AFTER.run(this.dataSource, [after, limit])).map(toStoredEvent);
  }

  /** The last position given so far: a reader that starts "now" starts after it. */
  async lastPosition(): Promise<string> {
    const [row] = await LAST_POSITION.run(this.dataSource, []);
    return formatPosition(row!.last_position);
  }
}
