import type { Logger } from '@nestjs/common';
import pg from 'pg';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';

/** Waits after a lost connection: 250 ms, doubling to 30 s. */
const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 30_000;

export interface NotificationHandlers {
  /** A NOTIFY arrived on one of the channels. */
  notified(channel: string, payload: string | undefined): void;
  /** The connection is up and LISTENs again: whatever was notified while it was away is lost. */
  connected(): void;
  /** The connection is lost; it is opened again, with backoff. */
  lost(): void;
}

/**
 * One dedicated connection (not a pool's: LISTEN holds it for good) that LISTENs on `channels`.
 * A dropped connection is opened again, with backoff; the handlers hear of both.
 */
export class NotificationListener {
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channels: readonly string[],
    private readonly handlers: NotificationHandlers,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client(this.config);
    this.client = client;
    let lost = false;
    const reconnect = (error?: Error) => {
      if (lost || this.stopped || this.client !== client) return;
      lost = true;
      this.client = undefined;
      if (error) this.logger.warn(`listener connection (${this.channels.join(', ')}) lost: ${error.message}`);
      this.handlers.lost();
      void client.end().catch(() => undefined);
      const delay = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures++);
      this.retryTimer = setTimeout(() => void this.connect(), delay * (0.5 + Math.random() / 2));
      this.retryTimer.unref();
    };
    client.on('notification', (message) => this.handlers.notified(message.channel, message.payload));
    client.on('error', reconnect);
    client.on('end', () => reconnect(new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
      if (this.client !== client) return;
      this.failures = 0;
      this.handlers.connected();
    } catch (error) {
      reconnect(error as Error);
    }
  }
}

/** A dedicated connection's settings: the pool's server and credentials, under a name of its own. */
export function listenerConfig(options: PostgresDataSourceOptions, applicationName: string): pg.ClientConfig {
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  };
}
