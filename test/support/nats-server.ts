import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';

// Debian's nats-server (`apt-get install nats-server`), or NATS_SERVER_PATH.
const NATS_SERVER = process.env.NATS_SERVER_PATH ?? '/usr/sbin/nats-server';

/**
 * A nats-server with JetStream of one test's own, on a free port with a store directory of its own
 * (never the shared one at 4222: JetStream refuses two streams on the same subjects). It can be
 * stopped, killed and started again on the same port and store.
 */
export class TestNatsServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly storeDir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** A port and a store directory, the server not started yet (so that a test can start it late). */
  static async prepare(): Promise<TestNatsServer> {
    return new TestNatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'agents-nats-')));
  }

  static async start(): Promise<TestNatsServer> {
    const server = await TestNatsServer.prepare();
    await server.up();
    return server;
  }

  /** Starts it (again); resolves once it accepts connections. */
  async up(): Promise<void> {
    if (this.child) throw new Error('nats-server is already running');
    if (!existsSync(NATS_SERVER)) throw new Error(`no nats-server at ${NATS_SERVER}: apt-get install nats-server (or set NATS_SERVER_PATH)`);
    const child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no flush, no goodbye to the clients. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill(signal);
    await this.exited;
  }

  /** A client of the test's own, and JetStream's manager on it. */
  async client(): Promise<{ connection: NatsConnection; manager: JetStreamManager }> {
    const connection = await connect({ servers: this.url });
    return { connection, manager: await jetstreamManager(connection) };
  }

  async remove(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A message of the stream as a consumer received it. */
export interface StreamMessage {
  readonly seq: number;
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly contentType: string | undefined;
  readonly text: string;
}

/** Every message the stream holds, oldest first, read with an ordered JetStream consumer. */
export async function streamMessages(server: TestNatsServer, stream: string): Promise<StreamMessage[]> {
  const { connection, manager } = await server.client();
  try {
    const total = (await manager.streams.info(stream)).state.messages;
    const messages: StreamMessage[] = [];
    if (total === 0) return messages;
    const consumer = await jetstream(connection).consumers.get(stream);
    while (messages.length < total) {
      const batch = await consumer.fetch({ max_messages: total - messages.length, expires: 2_000 });
      let received = 0;
      for await (const message of batch) {
        received++;
        messages.push({
          seq: message.seq,
          subject: message.subject,
          msgId: message.headers?.get('Nats-Msg-Id'),
          contentType: message.headers?.get('Content-Type'),
          text: message.string(),
        });
      }
      if (received === 0) throw new Error(`the stream holds ${total} messages; the consumer received ${messages.length}`);
    }
    return messages;
  } finally {
    await connection.close();
  }
}

/** Waits until the stream holds `count` messages (or more); returns how many it holds. */
export async function streamHolds(server: TestNatsServer, stream: string, count: number, timeoutMs = 15_000): Promise<number> {
  const { connection, manager } = await server.client();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const held = await manager.streams.info(stream).then((info) => info.state.messages, () => 0);
      if (held >= count || Date.now() > deadline) return held;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await connection.close();
  }
}

/** An event of the log as the relay must publish it: its id (the Nats-Msg-Id) and subject. */
export interface LoggedEvent {
  readonly id: string;
  readonly subject: string;
  readonly projectId: string;
}

/** Every positioned event in position order, once the sequencer has numbered all committed ones. */
export async function loggedEvents(databaseUrl: string): Promise<LoggedEvent[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let tries = 0; (await client.query('SELECT 1 FROM agent_events WHERE position IS NULL LIMIT 1')).rowCount; tries++) {
      if (tries > 200) throw new Error('events still without a position after 4 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { rows } = await client.query<{ id: string; project_id: string; type: string }>(
      'SELECT id, project_id, type FROM agent_events WHERE position IS NOT NULL ORDER BY position',
    );
    return rows.map((row) => ({ id: row.id, projectId: row.project_id, subject: `agents.${row.project_id}.${row.type}` }));
  } finally {
    await client.end();
  }
}

/** How the stream differs from the log: events missing, published twice, unknown, or out of order within a project. */
export function relayDiscrepancies(log: readonly LoggedEvent[], messages: readonly StreamMessage[]) {
  const logged = new Map(log.map((event) => [event.id, event]));
  const seen = new Map<string, number>();
  for (const message of messages) seen.set(message.msgId ?? '', (seen.get(message.msgId ?? '') ?? 0) + 1);
  const byProject = (ids: string[]) => {
    const groups: Record<string, string[]> = {};
    for (const id of ids) (groups[logged.get(id)?.projectId ?? '?'] ??= []).push(id);
    return groups;
  };
  const streamOrder = byProject(messages.map((message) => message.msgId ?? ''));
  const logOrder = byProject(log.map((event) => event.id));
  return {
    missing: log.filter((event) => !seen.has(event.id)).map((event) => event.id),
    twice: [...seen].filter(([, count]) => count > 1).map(([id]) => id),
    unknown: messages.filter((message) => !logged.has(message.msgId ?? '')).map((message) => `${message.seq} ${message.msgId}`),
    wrongSubject: messages.filter((message) => logged.has(message.msgId ?? '') && logged.get(message.msgId ?? '')!.subject !== message.subject).map((message) => message.msgId),
    outOfOrder: Object.keys(logOrder).filter((project) => JSON.stringify(streamOrder[project] ?? []) !== JSON.stringify(logOrder[project])),
  };
}
