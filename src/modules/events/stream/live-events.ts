import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { EventLog } from '../event-log.js';
import { EVENTS_CHANNEL } from '../event-sequencer.js';
import type { StoredEvent } from '../stored-event.js';
import { listenerConfig, NotificationListener } from '../../../shared/database/notification-listener.js';

/** The fallback when a notification is lost (or the listener is reconnecting): a read this often. */
const POLL_MS = 1_000;
/** Events per read; a longer backlog takes several reads, back to back. */
const BATCH = 1_000;

/** Told of the live events of one project, oldest first, each once. */
export interface LiveFollower {
  readonly projectId: string;
  receive(events: readonly StoredEvent[]): void;
}

/**
 * The one reader of new events for every stream of the instance: woken by the sequencer's
 * notification (or the poll), it reads every project's events after its head once and hands each
 * project's to that project's followers. A follower gets every event after the head as it was
 * when it followed: positions become visible in order, so none can appear behind the head.
 */
@Injectable()
export class LiveEvents implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveEvents.name);
  private readonly followers = new Map<string, Set<LiveFollower>>();
  private readonly listener: NotificationListener;
  private head: string | undefined;
  private poll: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private readAgain = false;

  constructor(
    private readonly log: EventLog,
    dataSource: DataSource,
  ) {
    // Woken on every notification, and once more after each (re)connection: what was notified while
    // the listener was away is lost (the poll covers that gap meanwhile).
    this.listener = new NotificationListener(
      listenerConfig(dataSource.options as PostgresDataSourceOptions, 'agents-api-events-listener'),
      [EVENTS_CHANNEL],
      { notified: () => this.wake(), connected: () => this.wake(), lost: () => {} },
      this.logger,
    );
  }

  async onModuleInit(): Promise<void> {
    this.head = await this.log.lastPosition();
    this.listener.start();
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.poll.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.poll);
    await this.listener.stop();
    await this.reading;
  }

  /** Starts handing `follower` its project's events; returns how to stop. */
  follow(follower: LiveFollower): () => void {
    let followers = this.followers.get(follower.projectId);
    if (!followers) this.followers.set(follower.projectId, (followers = new Set()));
    followers.add(follower);
    return () => {
      followers.delete(follower);
      if (followers.size === 0 && this.followers.get(follower.projectId) === followers) this.followers.delete(follower.projectId);
    };
  }

  private wake(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNew()
      .catch((error: unknown) => this.logger.warn(`could not read new events: ${(error as Error).message}`))
      .finally(() => (this.reading = undefined));
  }

  private async readNew(): Promise<void> {
    do {
      this.readAgain = false;
      // Nobody follows: only the head moves on (a follower that comes later catches up from the
      // log). Not if one followed during the read: it is owed every event after the head it found.
      if (this.followers.size === 0) {
        const last = await this.log.lastPosition();
        if (this.followers.size === 0) this.head = last;
        else this.readAgain = true;
        continue;
      }
      for (;;) {
        const events = await this.log.everyProjectAfter(this.head!, BATCH);
        if (events.length === 0) break;
        this.head = events.at(-1)!.position;
        this.dispatch(events);
        if (events.length < BATCH) break;
      }
    } while (this.readAgain);
  }

  private dispatch(events: readonly StoredEvent[]): void {
    const byProject = new Map<string, StoredEvent[]>();
    for (const event of events) {
      if (!this.followers.has(event.projectId)) continue;
      let ofProject = byProject.get(event.projectId);
      if (!ofProject) byProject.set(event.projectId, (ofProject = []));
      ofProject.push(event);
    }
    for (const [projectId, ofProject] of byProject) {
      for (const follower of [...(this.followers.get(projectId) ?? [])]) follower.receive(ofProject);
    }
  }
}
