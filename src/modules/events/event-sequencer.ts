import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceMetrics } from '../metrics/service-metrics.js';

/** The channel the sequencer notifies, with the last position it gave: every instance's listener wakes on it. */
export const EVENTS_CHANNEL = 'agent_events';

/** How often an idle sequencer looks for events to number (one index probe). */
const EVERY_MS = 50;
/** Events numbered per run; a longer backlog takes several runs, back to back. */
export const BATCH = 1_000;

const ANY_PENDING = 'SELECT 1 FROM agent_events WHERE position IS NULL LIMIT 1';
// The counter's row lock makes the runs of every instance one at a time, and is taken in a
// statement of its own: the numbering statement after it gets a snapshot that sees what the run
// before it committed, so no event is numbered twice. SKIP LOCKED: while another instance runs,
// this one has nothing to do.
const LOCK_COUNTER = 'SELECT last_position FROM agent_event_counter FOR UPDATE SKIP LOCKED';
// Each pending event is found by its primary key, whatever the statistics say: on a young outbox's
// (with the counter joined rather than read in a subquery) the planner hashed the whole table, a
// cost that grows with the table at every run.
export const INDEXED_JOINS_ONLY = 'SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off';
// Committed, unnumbered events, in the order they were written (seq): the order of one agent's
// changes, since each waited for the row lock of the one before, which committed before it wrote.
// The data-modifying CTEs all see the counter as it was before this statement (one row: a scalar
// subquery, not a join the planner would estimate at thousands of rows).
export const NUMBER_PENDING = `
  WITH pending AS (
    SELECT project_id, seq, row_number() OVER (ORDER BY seq) AS n
      FROM (SELECT project_id, seq FROM agent_events WHERE position IS NULL ORDER BY seq LIMIT $1) AS oldest),
  numbered AS (
    UPDATE agent_events event SET position = (SELECT last_position FROM agent_event_counter) + pending.n
      FROM pending
     WHERE event.project_id = pending.project_id AND event.seq = pending.seq
    RETURNING 1),
  counted AS (
    UPDATE agent_event_counter SET last_position = last_position + (SELECT count(*) FROM pending)
    RETURNING last_position)
  SELECT (SELECT count(*) FROM numbered)::int AS numbered, last_position::text AS last_position,
         pg_notify('${EVENTS_CHANNEL}', last_position::text) AS notified
    FROM counted WHERE (SELECT count(*) FROM pending) > 0`;

/**
 * Gives committed events their positions, after commit and in order (see the agent-events
 * migration): a writer never waits for it, and readers only ever see positioned events. Every
 * instance runs one; they take turns on the counter's row lock.
 */
@Injectable()
export class EventSequencer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventSequencer.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: ServiceMetrics,
  ) {}

  onModuleInit(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Numbers every committed event not yet numbered; resolves to how many it numbered. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const [pending] = await this.dataSource.query(ANY_PENDING);
      if (!pending) return total;
      const numbered = await this.dataSource.transaction(async (manager) => {
        const [counter] = await manager.query(LOCK_COUNTER);
        if (!counter) return 0; // another instance is numbering them
        await manager.query(INDEXED_JOINS_ONLY);
        const [result] = await manager.query(NUMBER_PENDING, [BATCH]);
        return (result?.numbered as number | undefined) ?? 0;
      });
      total += numbered;
      this.metrics.eventsSequenced(numbered);
      if (numbered < BATCH) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.warn(`could not number events: ${(error as Error).message}`))
        .then(() => this.schedule(EVERY_MS));
    }, delayMs);
    this.timer.unref();
  }
}
