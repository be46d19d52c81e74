import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../../config/environment.js';
import { ServiceMetrics } from '../../metrics/service-metrics.js';
import { formatPosition } from '../event-position.js';
import type { StoredEvent } from '../stored-event.js';
import { LeaderConnection } from './leader-connection.js';
import { NatsLink } from './nats-link.js';
import { relayMessage } from './relay-message.js';
import { RelayLedger } from './relay-ledger.js';
import { EventRelayStatus } from './relay-status.js';

/** A standby's attempts at the lock, and its recount of the lag. */
const LEADERSHIP_RETRY_MS = 2_000;
/** Besides the sequencer's NOTIFY, a leader looks for events this often. */
const POLL_MS = 1_000;
/** Events read per round; progress is recorded after each round. */
const BATCH = 100;
const BACKOFF_FIRST_MS = 200;
const BACKOFF_MAX_MS = 5_000;
const SHUTDOWN_WAIT_MS = 1_000;

/**
 * Publishes every positioned event to JetStream, in position order, one at a time (the next only
 * once the last is acknowledged, so that a retry can never reorder), while this instance holds
 * the lead (leader-connection.ts). Requests never wait for it: it only reads the log.
 *
 * At least once from here, exactly once in the stream: a re-publish (after a lost acknowledgement
 * or a change of leader) carries the event's id as Nats-Msg-Id, which JetStream drops as a
 * duplicate; and whenever publishing (re)starts, it resumes after the stream's last message once
 * the log confirms it, so neither a re-publish older than the duplicate window nor a NATS that
 * lost acknowledged messages (killed before its store was flushed) leaves a duplicate or a gap.
 */
@Injectable()
export class EventRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventRelay.name);
  private nats: NatsLink | undefined;
  private leader: LeaderConnection | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  // A wake-up that came while nothing slept (a NOTIFY during a publish): the next sleep is skipped.
  private woken = false;

  constructor(
    private readonly environment: Environment,
    private readonly dataSource: DataSource,
    private readonly metrics: ServiceMetrics,
    private readonly status: EventRelayStatus,
  ) {}

  onModuleInit(): void {
    const nats = this.environment.nats;
    if (!nats) return;
    this.status.enabled = true;
    this.metrics.watchRelay(this.status);
    this.nats = new NatsLink(nats.url, nats.stream, (connected) => {
      this.status.natsConnected = connected;
      this.wake();
    }, (message) => this.logger.warn(message));
    this.nats.start();
    const url = (this.dataSource.options as { url?: string }).url!;
    this.leader = new LeaderConnection(url, nats.stream, () => this.wake());
    this.running = this.lead(this.leader, new RelayLedger(this.leader, nats.stream), this.nats);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    // A publish still waiting for its acknowledgement is not waited for long: it is re-published later.
    await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    await Promise.all([this.nats?.close(), this.leader?.end()]);
    this.status.leader = false;
  }

  private async lead(leader: LeaderConnection, ledger: RelayLedger, nats: NatsLink): Promise<void> {
    while (!this.stopped) {
      try {
        if (await leader.tryLead()) {
          this.status.leader = true;
          this.logger.log('leading: this instance publishes the events to NATS');
          await this.publishWhileLeading(leader, ledger, nats);
        } else {
          await this.count(ledger);
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn(`event relay: ${(error as Error).message}`);
        // A failed read or write of progress may have left the lock held on a live connection.
        if (this.status.leader) await leader.end();
      }
      this.status.leader = false;
      await this.sleep(LEADERSHIP_RETRY_MS);
    }
  }

  private async publishWhileLeading(leader: LeaderConnection, ledger: RelayLedger, nats: NatsLink): Promise<void> {
    let through = await ledger.publishedThrough();
    let synced = false;
    let backoffMs = BACKOFF_FIRST_MS;
    while (!this.stopped && leader.isLeader) {
      await this.count(ledger);
      if (!nats.connected) {
        synced = false;
        await this.sleep(POLL_MS);
        continue;
      }
      if (!synced) {
        const resumed = await this.resumePoint(ledger, nats, through).catch((error: unknown) => this.natsFailed(error));
        if (resumed === undefined) {
          await this.sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
          continue;
        }
        if (resumed !== through) await ledger.record((through = resumed));
        synced = true;
      }
      const events = await ledger.eventsAfter(through, BATCH);
      if (events.length === 0) {
        await this.sleep(POLL_MS);
        continue;
      }
      const { acknowledged, failed } = await this.publishInOrder(events, nats);
      if (acknowledged.length > 0) {
        await ledger.record((through = acknowledged.at(-1)!.position));
        this.metrics.eventsPublished(acknowledged.length);
        backoffMs = BACKOFF_FIRST_MS;
      }
      if (failed) {
        // Whether the failed one was stored is unknown: look at the stream again before going on.
        synced = false;
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
      }
    }
  }

  /** Each event once the one before it is acknowledged; stops at the first failure. */
  private async publishInOrder(events: StoredEvent[], nats: NatsLink): Promise<{ acknowledged: StoredEvent[]; failed: boolean }> {
    const acknowledged: StoredEvent[] = [];
    for (const event of events) {
      if (this.stopped || !this.leader?.isLeader) break;
      try {
        await nats.publish(relayMessage(event));
      } catch (error) {
        this.natsFailed(error);
        return { acknowledged, failed: true };
      }
      acknowledged.push(event);
    }
    return { acknowledged, failed: false };
  }

  /**
   * Where publishing goes on: after the stream's last message when the log holds that very event
   * (ahead of the stored progress after a leader died between acknowledgement and record; behind
   * it if NATS lost what it had acknowledged), else after the stored progress.
   */
  private async resumePoint(ledger: RelayLedger, nats: NatsLink, through: string): Promise<string> {
    await nats.ensureStream();
    const found = await nats.tail();
    const tail = found && { id: found.id, position: formatPosition(found.position) };
    if (!tail || tail.position === through || !(await ledger.holds(tail.id, tail.position))) return through;
    if (tail.position < through) this.logger.warn(`the stream ends at ${tail.position}, before ${through} it acknowledged: publishing again from there`);
    return tail.position;
  }

  private async count(ledger: RelayLedger): Promise<void> {
    const { backlog, lagSeconds } = await ledger.lag();
    this.status.backlog = backlog;
    this.status.lagSeconds = lagSeconds;
  }

  private natsFailed(error: unknown): undefined {
    if (!this.stopped) this.logger.warn(`could not publish to NATS (${(error as Error).message}); retrying`);
    return undefined;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    if (wakeUp) wakeUp();
    else this.woken = true;
  }
}
