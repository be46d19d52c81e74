import pg from 'pg';
import { EVENTS_CHANNEL } from '../event-sequencer.js';

/** A connection that stops answering is given up after this: the relay never hangs on it. */
const STATEMENT_TIMEOUT_MS = 5_000;

/**
 * The relay's own PostgreSQL connection, outside the pool. While it holds the session-level
 * advisory lock of its stream, this instance is the one publisher; the lock goes with the
 * connection, so a leader whose connection dies stops being one (its reads and its progress writes
 * run here too, and fail with it) and another instance's next attempt takes over.
 */
export class LeaderConnection {
  private client: pg.Client | undefined;
  private leading = false;

  constructor(
    private readonly url: string,
    private readonly stream: string,
    /** Called on each NOTIFY of the sequencer once leading, and when the connection is lost. */
    private readonly wake: () => void,
  ) {}

  get isLeader(): boolean {
    return this.leading && this.client !== undefined;
  }

  /** One attempt at the lock (connecting first if need be); true while this instance leads. */
  async tryLead(): Promise<boolean> {
    if (this.isLeader) return true;
    const client = await this.connected();
    const [row] = (await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext('agents-api event relay'), hashtext($1)) AS locked",
      [this.stream],
    )).rows;
    if (!row?.locked) return false;
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.leading = true;
    return true;
  }

  async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    if (!this.client) throw new Error('the relay connection is closed');
    return (await this.client.query<Row>(text, values)).rows;
  }

  /** Ends the connection, and with it the lock. */
  async end(): Promise<void> {
    const client = this.client;
    this.drop();
    await client?.end().catch(() => {});
  }

  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'agents-api event relay',
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: STATEMENT_TIMEOUT_MS + 2_000,
      connectionTimeoutMillis: STATEMENT_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('error', () => this.lose(client));
    client.on('end', () => this.lose(client));
    client.on('notification', () => this.wake());
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    return client;
  }

  private lose(client: pg.Client): void {
    if (this.client !== client) return;
    this.drop();
    void client.end().catch(() => {});
  }

  private drop(): void {
    this.client = undefined;
    this.leading = false;
    this.wake();
  }
}
