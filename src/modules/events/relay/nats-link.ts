import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { RELAY_SUBJECTS, type RelayMessage } from './relay-message.js';

const CONNECT_TIMEOUT_MS = 2_000;
/** Between two attempts at the first connection; after it, the client reconnects by itself. */
const FIRST_CONNECT_RETRY_MS = 1_000;
const RECONNECT_WAIT_MS = 500;
/** How long a publish waits for JetStream's acknowledgement before it counts as failed (and is retried). */
export const PUBLISH_TIMEOUT_MS = 5_000;
const DRAIN_TIMEOUT_MS = 2_000;

/** The last event the stream holds, as its message says (checked against the log before it is trusted). */
export interface StreamTail {
  readonly id: string;
  readonly position: string;
}

/**
 * The relay's NATS connection: made in the background (start-up never waits for NATS), then kept
 * by the client's own reconnects, forever. `connected` follows the client's status.
 */
export class NatsLink {
  private connection: NatsConnection | undefined;
  private client: JetStreamClient | undefined;
  private manager: JetStreamManager | undefined;
  private stopped = false;
  private connecting: Promise<void> | undefined;
  private retry: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  connected = false;

  constructor(
    private readonly servers: string,
    private readonly stream: string,
    /** Called when the connection comes or goes (a waiting publisher wakes up). */
    private readonly onChange: (connected: boolean) => void,
    private readonly warn: (message: string) => void,
  ) {}

  start(): void {
    this.connecting = this.connectFirst();
  }

  /** Creates the stream when it is missing; an existing one is left as it is. */
  async ensureStream(): Promise<void> {
    const manager = await this.jsm();
    try {
      await manager.streams.info(this.stream);
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
      try {
        await manager.streams.add({ name: this.stream, subjects: [RELAY_SUBJECTS], storage: StorageType.File });
      } catch (addError) {
        // Another instance made it in between: fine if it is there now.
        await manager.streams.info(this.stream).catch(() => { throw addError; });
      }
    }
  }

  /** The stream's last message, when it is one of the relay's events; null when empty or not ours. */
  async tail(): Promise<StreamTail | null> {
    const manager = await this.jsm();
    const info = await manager.streams.info(this.stream);
    if (info.state.last_seq === 0) return null;
    const message = await manager.streams.getMessage(this.stream, { seq: info.state.last_seq });
    if (!message) return null;
    try {
      const event = message.json<{ id?: unknown; position?: unknown }>();
      return typeof event.id === 'string' && typeof event.position === 'string' && /^\d+$/.test(event.position) ? { id: event.id, position: event.position } : null;
    } catch {
      return null;
    }
  }

  /** Resolves once JetStream has stored the message (or found it a duplicate); rejects otherwise. */
  async publish(message: RelayMessage): Promise<void> {
    if (!this.client || !this.connected) throw new Error('NATS is not connected');
    await this.client.publish(message.subject, message.payload, { msgID: message.msgId, headers: message.headers, timeout: PUBLISH_TIMEOUT_MS });
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.retry) {
      clearTimeout(this.retry.timer);
      this.retry.resolve();
    }
    await this.connecting;
    const connection = this.connection;
    if (!connection || connection.isClosed()) return;
    // Nothing is published by then; drain only flushes, and a connection that cannot is closed.
    const drained = this.connected ? connection.drain().catch(() => {}) : Promise.resolve();
    const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), DRAIN_TIMEOUT_MS).unref());
    if ((await Promise.race([drained, late])) === 'late' || !connection.isClosed()) await connection.close().catch(() => {});
  }

  private async jsm(): Promise<JetStreamManager> {
    if (!this.connection || !this.connected) throw new Error('NATS is not connected');
    this.manager ??= await jetstreamManager(this.connection, { timeout: PUBLISH_TIMEOUT_MS });
    return this.manager;
  }

  private async connectFirst(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const connection = await connect({
          servers: this.servers.split(','),
          name: 'agents-api event relay',
          timeout: CONNECT_TIMEOUT_MS,
          maxReconnectAttempts: -1,
          reconnectTimeWait: RECONNECT_WAIT_MS,
        });
        if (this.stopped) {
          await connection.close();
          return;
        }
        this.connection = connection;
        this.client = jetstream(connection, { timeout: PUBLISH_TIMEOUT_MS });
        this.setConnected(true);
        void this.follow(connection);
        return;
      } catch (error) {
        if (attempt === 0) this.warn(`NATS is unavailable (${(error as Error).message}): events wait in the database; retrying every ${FIRST_CONNECT_RETRY_MS} ms`);
        if (this.stopped) return;
        await new Promise<void>((resolve) => (this.retry = { timer: setTimeout(resolve, FIRST_CONNECT_RETRY_MS), resolve }));
        this.retry = undefined;
      }
    }
  }

  private async follow(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') this.setConnected(false);
      else if (status.type === 'reconnect') this.setConnected(true);
    }
    this.setConnected(false);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.onChange(connected);
  }
}
