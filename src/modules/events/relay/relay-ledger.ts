import { formatPosition } from '../event-position.js';
import { EVERY_PROJECT_AFTER_SQL } from '../event-log.js';
import { toStoredEvent, type EventRow, type StoredEvent } from '../stored-event.js';
import type { LeaderConnection } from './leader-connection.js';

export interface RelayLag {
  readonly backlog: number;
  readonly lagSeconds: number;
}

/**
 * The relay's reads and writes, all on the leader's connection: the events after its progress,
 * its progress (agent_event_relays.published_through, the last position JetStream acknowledged),
 * and its lag. Positions are dense (the sequencer gives counter + n), so the backlog is a subtraction.
 */
export class RelayLedger {
  constructor(
    private readonly connection: LeaderConnection,
    private readonly stream: string,
  ) {}

  async publishedThrough(): Promise<string> {
    await this.connection.query('INSERT INTO agent_event_relays (stream) VALUES ($1) ON CONFLICT (stream) DO NOTHING', [this.stream]);
    const [row] = await this.connection.query<{ through: string }>('SELECT published_through::text AS through FROM agent_event_relays WHERE stream = $1', [this.stream]);
    return formatPosition(row!.through);
  }

  async record(through: string): Promise<void> {
    await this.connection.query('UPDATE agent_event_relays SET published_through = $2::bigint WHERE stream = $1', [this.stream, through]);
  }

  async eventsAfter(position: string, limit: number): Promise<StoredEvent[]> {
    const rows = await this.connection.query<EventRow>(EVERY_PROJECT_AFTER_SQL, [position, limit]);
    return rows.map(toStoredEvent);
  }

  /** True when the log holds this event at this position (so a stream's last message can be trusted). */
  async holds(id: string, position: string): Promise<boolean> {
    return (await this.connection.query('SELECT 1 FROM agent_events WHERE position = $1::bigint AND id = $2', [position, id])).length > 0;
  }

  /** What is left to publish after the stored progress, and how old the oldest of it is. */
  async lag(): Promise<RelayLag> {
    const [row] = await this.connection.query<{ backlog: string; lag_seconds: number | null }>(
      `SELECT greatest(counter.last_position - coalesce(relay.published_through, 0), 0)::text AS backlog,
              extract(epoch FROM now() - oldest.time)::float8 AS lag_seconds
         FROM agent_event_counter counter
         LEFT JOIN agent_event_relays relay ON relay.stream = $1
         LEFT JOIN LATERAL (SELECT time FROM agent_events WHERE position > coalesce(relay.published_through, 0)
                             ORDER BY agent_events.position LIMIT 1) oldest ON true`,
      [this.stream],
    );
    return { backlog: Number(row?.backlog ?? 0), lagSeconds: Math.max(0, row?.lag_seconds ?? 0) };
  }
}
