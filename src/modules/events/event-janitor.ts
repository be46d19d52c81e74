import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment.js';

const EVERY_MS = 60 * 1000;
/** Events removed per statement: each batch is a short transaction of its own, holding row locks only. */
const BATCH = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const NO_BOUND = '9223372036854775807';

// Of the oldest BATCH events by position, those past retention (and, with NATS, acknowledged
// by JetStream): a scan of at most BATCH index entries, however long the log. Each project's
// horizon moves to the last position removed from it, in the same statement: a reader whose cursor
// is older gets 410 cursor_expired instead of a silent gap.
const REMOVE_EXPIRED = `
  WITH oldest AS (
    SELECT project_id, seq, position, time FROM agent_events
     WHERE position IS NOT NULL ORDER BY position LIMIT $3),
  removed AS (
    DELETE FROM agent_events event USING oldest
     WHERE event.project_id = oldest.project_id AND event.seq = oldest.seq
       AND oldest.time < $1 AND oldest.position <= $2::bigint
    RETURNING event.project_id, event.position),
  horizons AS (
    INSERT INTO agent_event_horizons (project_id, expired_through)
    SELECT project_id, max(position) FROM removed GROUP BY project_id
    ON CONFLICT (project_id) DO UPDATE SET expired_through = GREATEST(agent_event_horizons.expired_through, excluded.expired_through))
  SELECT count(*)::int AS removed FROM removed`;
const PUBLISHED_THROUGH = 'SELECT published_through::text AS published_through FROM agent_event_relays WHERE stream = $1';

/** Removes events older than EVENTS_RETENTION_DAYS, in batches; every instance may (the DELETE is idempotent). */
@Injectable()
export class EventJanitor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventJanitor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly environment: Environment,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Removes every expired event; resolves to how many. */
  async sweep(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.environment.events.retentionDays * DAY_MS);
    let total = 0;
    try {
      const bound = await this.publishedThrough();
      for (;;) {
        const [{ removed }] = await this.dataSource.query(REMOVE_EXPIRED, [cutoff, bound, BATCH]);
        total += removed;
        if (removed === 0) break;
      }
      if (total > 0) this.logger.log(`removed ${total} events older than ${this.environment.events.retentionDays} days`);
    } catch (error) {
      this.logger.warn(`could not remove expired events: ${(error as Error).message}`);
    }
    return total;
  }

  /** With NATS, events JetStream has not acknowledged are kept, however old: nothing is lost while NATS is down. */
  private async publishedThrough(): Promise<string> {
    const nats = this.environment.nats;
    if (!nats) return NO_BOUND;
    const [row] = await this.dataSource.query(PUBLISHED_THROUGH, [nats.stream]);
    return (row?.published_through as string | undefined) ?? '0';
  }
}
