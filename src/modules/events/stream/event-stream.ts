import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { ServiceMetrics } from '../../metrics/service-metrics.js';
import type { EventFilter, EventLog } from '../event-log.js';
import type { StoredEvent } from '../stored-event.js';
import type { LiveFollower } from './live-events.js';
import { eventMessage, KEEP_ALIVE } from './sse-message.js';

/** Events per catch-up read of the log. */
const CATCH_UP_PAGE = 500;
/** Live events held while the stream catches up or waits for its client; past this it reads the log again instead. */
const HELD_MAX = 1_000;
/** A client that has not taken what was written after this long is dropped. */
const SLOW_CLIENT_MS = 5_000;
/** ... or once this much waits in its socket's buffer (writes stop at the first full buffer, so only a huge event gets here). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * One client's stream: the project's events after `cursor`, each once and in order. It is either
 * live (the dispatch's events are written as they come) or catching up (from the log, then from
 * the events held meanwhile). It catches up at the start and whenever its client's socket is full:
 * it stops writing then, holds what comes (bounded: past HELD_MAX it drops them and reads them
 * from the log later), and goes on from its cursor on 'drain'. Every event written moves the
 * cursor, and only events after the cursor are written: the log and the dispatch may overlap.
 */
export class EventStream implements LiveFollower {
  private live = false;
  private held: StoredEvent[] = [];
  private heldOverflowed = false;
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    readonly projectId: string,
    private readonly filter: EventFilter,
    private cursor: string,
    private readonly log: EventLog,
    private readonly metrics: ServiceMetrics,
    private readonly logger: FastifyBaseLogger,
  ) {
    response.once('close', () => {
      this.closed = true;
      this.held = [];
    });
  }

  /** Catches up from the log, then follows the dispatch. Call once following it. */
  begin(): void {
    void this.catchUp(true);
  }

  receive(events: readonly StoredEvent[]): void {
    if (this.closed) return;
    if (!this.live) return this.hold(events);
    for (let index = 0; index < events.length; index++) {
      if (!this.send(events[index]!)) {
        this.live = false;
        this.hold(events.slice(index + 1));
        void this.catchUp(false);
        return;
      }
    }
  }

  /** A comment line, unless the client has not taken what it was sent (then it is anything but idle). */
  keepAlive(): void {
    if (this.response.writable && !this.response.writableNeedDrain) this.response.write(KEEP_ALIVE);
  }

  /** Ends the response (the client resumes with Last-Event-ID); a client that does not take it within `graceMs` is cut off. */
  end(graceMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.response.destroy(), graceMs);
      this.response.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.response.end();
    });
  }

  /** From the log first (at the start), or from what was held (when the socket was full). */
  private async catchUp(fromLog: boolean): Promise<void> {
    this.live = false;
    try {
      while (await this.drained()) {
        if (fromLog || this.heldOverflowed) {
          this.held = [];
          this.heldOverflowed = false;
          if (!(await this.readLog())) return;
          fromLog = false;
          continue;
        }
        if (this.held.length === 0) {
          this.live = true;
          return;
        }
        const held = this.held;
        this.held = [];
        const sent = this.sendAll(held);
        if (sent < held.length) this.held = [...held.slice(sent), ...this.held];
        if (this.held.length > HELD_MAX) this.heldOverflowed = true;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'event stream failed: closing it');
      this.response.destroy();
    }
  }

  /** The log's events after the cursor, up to its end; false if the stream closed meanwhile. */
  private async readLog(): Promise<boolean> {
    for (;;) {
      const page = await this.log.page(this.projectId, this.cursor, CATCH_UP_PAGE, this.filter);
      if (this.closed) return false;
      // Retention removed events this stream has not sent: end it, its client's resume gets the 410.
      if (page.expiredThrough !== null && this.cursor < page.expiredThrough) {
        this.response.end();
        return false;
      }
      let sent = 0;
      while (sent < page.events.length) {
        sent += this.sendAll(page.events.slice(sent));
        if (sent < page.events.length && !(await this.drained())) return false;
      }
      if (page.events.length < CATCH_UP_PAGE) return true;
    }
  }

  /** Writes events until the socket is full; how many it took. */
  private sendAll(events: readonly StoredEvent[]): number {
    for (let index = 0; index < events.length; index++) {
      if (!this.send(events[index]!)) return index + 1;
    }
    return events.length;
  }

  /** Writes the event if it is after the cursor and passes the filter; false once the socket is full. */
  private send(event: StoredEvent): boolean {
    if (this.closed || !this.response.writable) return false;
    if (event.position <= this.cursor || !this.matches(event)) return true;
    this.cursor = event.position;
    const room = this.response.write(eventMessage(event));
    this.metrics.eventsStreamed(1);
    if (this.response.writableLength > MAX_BUFFERED_BYTES) this.dropSlow();
    return room;
  }

  private matches(event: StoredEvent): boolean {
    return (!this.filter.type || event.type === this.filter.type) && (!this.filter.subject || event.subject === this.filter.subject);
  }

  /** Resolves true once the socket has room, false if the stream closed (or was dropped) first. */
  private drained(): Promise<boolean> {
    if (this.closed || !this.response.writable) return Promise.resolve(false);
    if (!this.response.writableNeedDrain) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (room: boolean) => {
        clearTimeout(timer);
        this.response.off('drain', onDrain);
        this.response.off('close', onClose);
        resolve(room);
      };
      const onDrain = () => settle(true);
      const onClose = () => settle(false);
      const timer = setTimeout(() => {
        settle(false);
        this.dropSlow();
      }, SLOW_CLIENT_MS);
      this.response.on('drain', onDrain);
      this.response.on('close', onClose);
    });
  }

  private dropSlow(): void {
    if (this.closed) return;
    this.logger.warn({ cursor: this.cursor, bufferedBytes: this.response.writableLength }, 'event stream dropped: its client stopped reading');
    this.metrics.streamDropped('slow');
    this.response.destroy();
  }

  private hold(events: readonly StoredEvent[]): void {
    if (this.heldOverflowed) return;
    for (const event of events) {
      if (event.position > this.cursor && this.matches(event)) this.held.push(event);
    }
    if (this.held.length > HELD_MAX) {
      this.held = [];
      this.heldOverflowed = true;
    }
  }
}
