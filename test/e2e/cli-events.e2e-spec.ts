import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { sseMessages, type SseMessage } from '../../src/cli/event-stream-reader.js';
import { feedEnd, readFeed, type FeedEvent } from '../support/events.js';
import { agentBody, call } from '../support/http.js';
import type { Tenant } from '../support/tenants.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// `events tail`: the built CLI (npx tsc -p tsconfig.build.json), run as an operator runs it,
// following the service's live stream over a real socket.
const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const TIMEOUT_MS = 60_000;
const WAIT_MS = 15_000;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running `events tail`: its stdout lines as they come, its stderr, its exit. */
class Tail {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<Exit>;
  private partial = '';
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], env: Record<string, string> = {}) {
    const inherited = { ...process.env };
    delete inherited.AGENTS_API_URL;
    delete inherited.AGENTS_API_KEY;
    this.child = spawn(process.execPath, [CLI, 'events', 'tail', ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (this.partial + chunk.toString('utf8')).split('\n');
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      this.wake();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
      this.wake();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.wake());
    running.add(this);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once `done()` holds (checked on every output), failing after WAIT_MS with what it printed. */
  async until(what: string, done: () => boolean, ms = WAIT_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (!this.alive && !done()) {
        await this.exited;
        if (done()) return;
        throw new Error(`events tail exited before ${what}:\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${ms} ms:\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, Math.min(left, 200));
        const waiters = this.waiters;
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
    }
  }

  lineCount(n: number): Promise<void> {
    return this.until(`${n} lines`, () => this.lines.length >= n);
  }

  json(): FeedEvent[] {
    return this.lines.map((line) => JSON.parse(line) as FeedEvent);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.alive) this.child.kill(signal);
    return this.exited;
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

const running = new Set<Tail>();

/** A TCP relay in front of the service whose connections can be cut, to drop the CLI's stream. */
class Relay {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  port = 0;
  connections = 0;

  constructor(private readonly target: number) {}

  async open(port = 0): Promise<void> {
    const server = net.createServer((client) => {
      this.connections += 1;
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Stops accepting, and resets every connection open through it. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('events tail (the CLI follows GET /v1/events/stream)', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let counter = 0;
  const newId = () => `tail-${process.pid}-${++counter}`;
  const tail = (args: string[], env: Record<string, string> = {}) => new Tail(['--url', t.baseUrl, ...args], env);
  const keyOf = (who: Tenant) => ['--key', who.token];

  const create = async (as: Tenant = tenant, fields: Record<string, unknown> = {}) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody({ id: newId(), ...fields }) });
    expect(answer.status).toBe(201);
    return answer.body.agent.id as string;
  };
  const patch = async (id: string, body: Record<string, unknown>) => {
    const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body });
    expect(answer.status).toBe(200);
  };
  const remove = async (id: string) => {
    const answer = await call(t.baseUrl, 'DELETE', `/v1/agents/${id}`, { tenant });
    expect(answer.status).toBe(200);
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx tsc -p tsconfig.build.json first`);
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'pro' });
    other = await t.tenants.create({ tier: 'pro' });
  }, TIMEOUT_MS);

  afterEach(() => {
    for (const running_ of running) running_.kill();
    running.clear();
  });

  afterAll(async () => {
    await t?.close();
  }, TIMEOUT_MS);

  it('--json: one CloudEvent per line, exactly the feed, in position order; nothing of another project', async () => {
    const end = await feedEnd(t, tenant);
    const run = tail([...keyOf(tenant), '--after', end, '--json']);
    const id = await create();
    await create(other); // another project's change: not in this tail
    await patch(id, { model: 'claude-opus-4-6', reasoningEffort: 'low' });
    await remove(id);

    await run.lineCount(3);
    const feed = await readFeed(t, tenant, {}, end);
    expect(feed.map((event) => [event.type, event.subject])).toEqual([
      ['agent.created', id],
      ['agent.updated', id],
      ['agent.deleted', id],
    ]);
    // Each line parses on its own (pipes to jq) and is the very event the feed serves.
    expect(run.lines.slice(0, 3).map((line) => JSON.parse(line))).toEqual(feed);
    const positions = run.json().map((event) => event.position);
    expect(positions.every((position, i) => /^\d{18}$/.test(position) && (i === 0 || position > positions[i - 1]!))).toBe(true);
    expect(positions[0]! > end).toBe(true);

    // A little later, still nothing else (no heartbeat or progress text on stdout).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(run.lines).toHaveLength(3);
    expect(run.alive).toBe(true);
  }, TIMEOUT_MS);

  it('prints one line per event for people: position, time, type, subject, cause, changed fields', async () => {
    const id = await create();
    const end = await feedEnd(t, tenant);
    const run = tail([...keyOf(tenant), '--after', end]);
    await patch(id, { model: 'claude-opus-4-6', reasoningEffort: 'high' });
    await remove(id);

    await run.lineCount(2);
    const [updated, deleted] = await readFeed(t, tenant, {}, end);
    expect(run.lines).toEqual([
      `${updated!.position} ${updated!.time} agent.updated ${id} patch model,reasoningEffort`,
      `${deleted!.position} ${deleted!.time} agent.deleted ${id} delete - soft`,
    ]);
    expect(run.lines[0]).toMatch(/^\d{18} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z agent\.updated /);
  }, TIMEOUT_MS);

  it('--after resumes after a position; --type and --subject filter', async () => {
    const start = await feedEnd(t, tenant);
    const first = await create();
    const second = await create();
    await patch(first, { name: 'Renamed' });
    await patch(second, { name: 'Renamed too' });
    const feed = await readFeed(t, tenant, {}, start);
    expect(feed).toHaveLength(4);

    const resumed = tail([...keyOf(tenant), '--after', feed[1]!.position, '--json']);
    await resumed.lineCount(2);
    expect(resumed.json().map((event) => event.position)).toEqual([feed[2]!.position, feed[3]!.position]);

    // The position without its leading zeros is the same position.
    const unpadded = tail([...keyOf(tenant), '--after', String(BigInt(feed[2]!.position)), '--json']);
    const filtered = tail([...keyOf(tenant), '--after', start, '--type', 'agent.updated', '--subject', second, '--json']);
    await unpadded.lineCount(1);
    await filtered.lineCount(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(unpadded.json().map((event) => event.position)).toEqual([feed[3]!.position]);
    expect(filtered.json().map((event) => [event.type, event.subject, event.position])).toEqual([['agent.updated', second, feed[3]!.position]]);
  }, TIMEOUT_MS);

  it('reconnects when the connection drops and resumes with Last-Event-ID: every event once, none missed', async () => {
    const relay = new Relay(Number(new URL(t.baseUrl).port));
    await relay.open();
    try {
      const end = await feedEnd(t, tenant);
      const run = new Tail(['--url', `http://127.0.0.1:${relay.port}`, ...keyOf(tenant), '--after', end, '--json']);
      const ids = [await create(), await create()];
      await run.lineCount(2);
      expect(relay.connections).toBe(1);

      // Cut the stream and refuse connections for a while; changes go on meanwhile.
      const port = relay.port;
      await relay.close();
      ids.push(await create(), await create());
      await patch(ids[0]!, { name: 'Changed while the tail was away' });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await relay.open(port);
      ids.push(await create());

      await run.lineCount(6);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const feed = await readFeed(t, tenant, {}, end);
      expect(feed).toHaveLength(6);
      expect(run.json()).toEqual(feed);
      expect(relay.connections).toBeGreaterThanOrEqual(2);
      expect(run.stderr).toContain('reconnecting in');
      expect(run.alive).toBe(true);
    } finally {
      await relay.close();
    }
  }, TIMEOUT_MS);

  it('a refused key: the service\'s detail on stderr, exit code 1, nothing on stdout', async () => {
    const refused = await call(t.baseUrl, 'GET', '/v1/events/stream', { headers: { authorization: 'Bearer agk_not-a-key' } });
    expect(refused.status).toBe(401);
    const detail = refused.body.detail as string;
    expect(detail.length).toBeGreaterThan(0);

    const run = tail(['--key', 'agk_not-a-key', '--json']);
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.lines).toEqual([]);
    expect(run.stderr).toContain(detail);
    expect(run.stderr).toContain('401');
  }, TIMEOUT_MS);

  it('a key without agents:read: 403, exit code 1; the key from AGENTS_API_KEY', async () => {
    const writer = await t.tenants.create({ scopes: ['agents:write'] });
    const refused = await call(t.baseUrl, 'GET', '/v1/events/stream', { tenant: writer });
    expect(refused.status).toBe(403);

    const run = tail([], { AGENTS_API_KEY: writer.token });
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.stderr).toContain(refused.body.detail as string);
  }, TIMEOUT_MS);

  it('a filter the service refuses (422) is a usage error, exit code 2; a missing key or a bad --after too, before any request', async () => {
    const refused = await call(t.baseUrl, 'GET', '/v1/events/stream?subject=not%20an%20id', { tenant });
    expect(refused.status).toBe(422);

    const badSubject = tail([...keyOf(tenant), '--subject', 'not an id']);
    expect(await badSubject.exited).toEqual({ code: 2, signal: null });
    expect(badSubject.stderr).toContain(refused.body.detail[0].msg as string);

    const noKey = tail([]);
    const badAfter = tail([...keyOf(tenant), '--after', 'yesterday']);
    const badType = tail([...keyOf(tenant), '--type', 'agent.renamed']);
    expect(await noKey.exited).toEqual({ code: 2, signal: null });
    expect(await badAfter.exited).toEqual({ code: 2, signal: null });
    expect(await badType.exited).toEqual({ code: 2, signal: null });
    expect(noKey.stderr).toContain('--key');
    expect(badAfter.stderr).toContain('--after');
    expect(badType.stderr).toContain('agent.renamed');
  }, TIMEOUT_MS);

  it.each(['SIGTERM', 'SIGINT'] as const)('without --after follows only new events, and exits 0 on %s', async (signal) => {
    const end = await feedEnd(t, tenant);
    const run = tail([...keyOf(tenant), '--json']);
    // Until the stream is open, changes go by unseen: change until one shows.
    const id = await create();
    const deadline = Date.now() + 20_000;
    while (run.lines.length === 0) {
      if (Date.now() > deadline || !run.alive) throw new Error(`no event within 20 s:\n${run.stderr}`);
      await patch(id, { description: `at ${Date.now()}` });
      await run.until('an event', () => run.lines.length > 0, 300).catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = run.json();
    expect(seen.every((event) => event.position > end && event.subject === id)).toBe(true);

    expect(await run.stop(signal)).toEqual({ code: 0, signal: null });
  }, TIMEOUT_MS);
});

describe('the SSE reader', () => {
  async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield new TextEncoder().encode(part);
  }
  const read = async (...parts: string[]): Promise<SseMessage[]> => {
    const messages: SseMessage[] = [];
    for await (const message of sseMessages(chunks(...parts))) messages.push(message);
    return messages;
  };

  it('skips comments (the keep-alive) and reads id, event and data, across chunk boundaries and line endings', async () => {
    expect(
      await read(': keep-alive\n\n', 'id: 000000000000000001\nevent: agent.created\nda', 'ta: {"a":1}\n\n: keep-alive\r\n\r\n', 'id: 2\r', '\nevent: x\rdata: y\r\n\r\n'),
    ).toEqual([
      { id: '000000000000000001', event: 'agent.created', data: '{"a":1}' },
      { id: '2', event: 'x', data: 'y' },
    ]);
  });

  it('joins data lines, keeps the last id for a message without one, drops a message without data and an unfinished one', async () => {
    expect(await read('id: 7\ndata: a\ndata:b\n\nevent: only\n\ndata: c\n\ndata: cut off')).toEqual([
      { id: '7', event: 'message', data: 'a\nb' },
      { id: '7', event: 'message', data: 'c' },
    ]);
  });
});
