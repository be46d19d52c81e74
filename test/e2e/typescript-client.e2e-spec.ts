import { randomUUID } from 'node:crypto';
import {
  AgentsApiError,
  createAgentsClient,
  ValidationError,
  type AgentEvent,
  type AgentsClient,
} from '../../clients/typescript/src/index.js';
import { sseMessages } from '../../clients/typescript/src/event-stream.js';
import { sequenced } from '../support/events.js';
import type { Tenant } from '../support/tenants.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const START = '000000000000000000';

/** The TypeScript client (clients/typescript) against the whole service on a real PostgreSQL. */
describe('the TypeScript client against the service', () => {
  let t: TestApp;
  const clientOf = (tenant: Tenant, fetch?: (request: Request) => Promise<Response>): AgentsClient =>
    createAgentsClient({ baseUrl: t.baseUrl, apiKey: tenant.token, ...(fetch ? { fetch } : {}) });
  const fresh = async () => clientOf(await t.tenants.create());

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  }, 60_000);
  afterAll(async () => {
    // Aborting a streaming fetch leaves a spare connection of Node's fetch (undici) that never sends
    // a request, which the server's close would wait for until its requestTimeout (~70 s): cut the
    // connections, then close the HTTP server before the rest, as main.ts does.
    t?.app.getHttpServer().closeAllConnections();
    await t?.app.getHttpAdapter().getInstance().close();
    await t?.close();
  }, 30_000);

  /** The next `count` events of an iterator (or those it yielded before it ended); it stays open. */
  async function next(events: AsyncIterator<AgentEvent>, count: number): Promise<AgentEvent[]> {
    const taken: AgentEvent[] = [];
    while (taken.length < count) {
      const step = await events.next();
      if (step.done) break;
      taken.push(step.value);
    }
    return taken;
  }

  /** The first `count` events of an iterator, which is then closed (as a `break` out of `for await` does). */
  async function take(events: AsyncGenerator<AgentEvent, void, undefined>, count: number): Promise<AgentEvent[]> {
    try {
      return await next(events, count);
    } finally {
      await events.return();
    }
  }

  /** Rejects when the iterator has not yielded `count` events within `ms` (instead of hanging the test). */
  function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
    });
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }

  describe('creating', () => {
    it('creates an agent, and a retry with the same Idempotency-Key replays it instead of creating another', async () => {
      const client = await fresh();
      const key = randomUUID();
      const first = await client.createAgent({ name: 'Idempotent bot', model: 'claude-haiku-4-5' }, { idempotencyKey: key });
      expect(first).toMatchObject({ agent: { name: 'Idempotent bot', model: 'claude-haiku-4-5', reasoningEffort: 'low', version: '1.0.0' }, replayed: false });
      expect(first.etag).toMatch(/^(W\/)?"/);

      const retry = await client.createAgent({ name: 'Idempotent bot', model: 'claude-haiku-4-5' }, { idempotencyKey: key });
      expect(retry).toMatchObject({ agent: { id: first.agent.id }, replayed: true });
      const listed = [];
      for await (const agent of client.listAll('/v1/agents')) listed.push(agent.id);
      expect(listed).toEqual([first.agent.id]);

      // Without a key, the same body is another agent.
      const other = await client.createAgent({ name: 'Idempotent bot', model: 'claude-haiku-4-5' });
      expect([other.replayed, other.agent.id === first.agent.id]).toEqual([false, false]);
    });

    it('throws a ValidationError listing every problem of a 422, and an AgentsApiError with the code of any other error', async () => {
      const client = await fresh();
      const invalid = client.createAgent({ name: '   ', model: 'claude-haiku-4-5', reasoningEffort: 'minimal' });
      await expect(invalid).rejects.toBeInstanceOf(ValidationError);
      const refused = (await invalid.catch((error: unknown) => error)) as ValidationError;
      expect(refused).toBeInstanceOf(AgentsApiError);
      expect(refused).toMatchObject({ status: 422, code: 'validation_failed', name: 'ValidationError' });
      expect(refused.problems.map((problem) => problem.loc)).toEqual(expect.arrayContaining([['body', 'name'], ['body', 'reasoningEffort']]));
      expect(refused.problems.every((problem) => typeof problem.msg === 'string' && typeof problem.type === 'string')).toBe(true);
      expect(refused.message).toContain('422 validation_failed');

      const missing = await client.getAgent('no-such-agent').catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(AgentsApiError);
      expect(missing).not.toBeInstanceOf(ValidationError);
      expect(missing).toMatchObject({ status: 404, code: 'agent_not_found', detail: expect.stringContaining('no-such-agent') });

      // The raw openapi-fetch client throws the same errors (a key of nobody: 401).
      const stranger = createAgentsClient({ baseUrl: t.baseUrl, apiKey: 'agk_not_a_key' });
      await expect(stranger.GET('/v1/agents')).rejects.toMatchObject({ name: 'AgentsApiError', status: 401 });
    });
  });

  describe('paging', () => {
    it('walks every agent of the project, page after page, newest first', async () => {
      const client = await fresh();
      const ids: string[] = [];
      for (let i = 0; i < 23; i++) ids.push((await client.createAgent({ name: `Paged ${i}` })).agent.id);

      const pageSizes: number[] = [];
      const seen: string[] = [];
      for await (const page of client.pages('/v1/agents', { query: { limit: 10 } })) {
        pageSizes.push(page.data.length);
        seen.push(...page.data.map((agent) => agent.id));
        expect(page.total_count).toBe(23);
      }
      expect(pageSizes).toEqual([10, 10, 3]);
      expect(seen).toEqual([...ids].reverse());

      const ascending = [];
      for await (const agent of client.listAll('/v1/agents', { query: { limit: 7, order: 'asc', q: 'paged 1' } })) ascending.push(agent.name);
      expect(ascending).toEqual(['Paged 1', ...Array.from({ length: 10 }, (_, i) => `Paged ${10 + i}`)]);
    });

    it("walks an agent's versions, newest first", async () => {
      const client = await fresh();
      const { agent } = await client.createAgent({ name: 'Versioned' });
      for (const effort of ['low', 'high', 'low', 'high'] as const) await client.updateAgent(agent.id, { reasoningEffort: effort });

      const versions = [];
      for await (const version of client.listAll('/v1/agents/{id}/versions', { path: { id: agent.id }, query: { limit: 2 } })) versions.push(version.version);
      expect(versions).toEqual(['1.0.4', '1.0.3', '1.0.2', '1.0.1', '1.0.0']);
    });
  });

  describe('changing', () => {
    it('patches with If-Match, and a stale ETag is an AgentsApiError 412 precondition_failed that changes nothing', async () => {
      const client = await fresh();
      const { agent, etag } = await client.createAgent({ name: 'Matched', model: 'claude-sonnet-4-5' });
      const read = await client.getAgent(agent.id);
      expect(read.etag).toBe(etag);

      const patched = await client.updateAgent(agent.id, { reasoningEffort: 'high' }, { ifMatch: read.etag! });
      expect(patched.agent).toMatchObject({ reasoningEffort: 'high', version: '1.0.1' });
      expect(patched.etag).not.toBe(read.etag);

      const stale = await client.updateAgent(agent.id, { reasoningEffort: 'low' }, { ifMatch: read.etag! }).catch((error: unknown) => error);
      expect(stale).toBeInstanceOf(AgentsApiError);
      expect(stale).toMatchObject({ status: 412, code: 'precondition_failed' });
      expect((await client.getAgent(agent.id)).agent).toMatchObject({ reasoningEffort: 'high', version: '1.0.1' });
    });

    it('sets a label and reads the agent pinned to it, while the agent moves on', async () => {
      const client = await fresh();
      const { agent } = await client.createAgent({ name: 'Pinned', model: 'claude-sonnet-4-5', reasoningEffort: 'low' });
      await client.updateAgent(agent.id, { reasoningEffort: 'high' });

      const { data } = await client.PUT('/v1/agents/{id}/labels/{label}', { params: { path: { id: agent.id, label: 'production' } }, body: { version: '1.0.0' } });
      expect(data?.label).toMatchObject({ name: 'production', version: '1.0.0' });

      const pinned = await client.getVersion(agent.id, 'production');
      expect(pinned.version).toMatchObject({ version: '1.0.0', configuration: { reasoningEffort: 'low' } });
      expect((await client.getVersion(agent.id, 'latest')).version).toMatchObject({ version: '1.0.1', configuration: { reasoningEffort: 'high' } });

      const labels = await client.GET('/v1/agents/{id}/labels', { params: { path: { id: agent.id } } });
      expect(labels.data?.data.map((label) => [label.name, label.version])).toEqual([['production', '1.0.0']]);

      // A version the agent never had: the label stays where it was.
      const refused = client.PUT('/v1/agents/{id}/labels/{label}', { params: { path: { id: agent.id, label: 'production' } }, body: { version: '9.9.9' } });
      await expect(refused).rejects.toMatchObject({ status: 404, code: 'version_not_found' });
      await expect(client.getVersion(agent.id, 'canary')).rejects.toMatchObject({ status: 404, code: 'label_not_found' });
      expect((await client.getVersion(agent.id, 'production')).version.version).toBe('1.0.0');
    });
  });

  describe('events', () => {
    it('reads the feed page after page, oldest first, and from a position on', async () => {
      const client = await fresh();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await client.createAgent({ name: `Fed ${i}` })).agent.id);
      await client.updateAgent(ids[0]!, { name: 'Fed again' });
      await sequenced(t.dataSource);

      const events = [];
      for await (const event of client.events.feed({ limit: 2 })) events.push(event);
      expect(events.map((event) => [event.type, event.subject])).toEqual([...ids.map((id) => ['agent.created', id]), ['agent.updated', ids[0]]]);
      expect(events.map((event) => event.position)).toEqual(events.map((event) => event.position).sort());

      const later = [];
      for await (const event of client.events.feed({ after: events[3]!.position, type: 'agent.created' })) later.push(event.subject);
      expect(later).toEqual([ids[4]]);
    });

    it('follows the stream: what was there after `after`, then what commits while it listens, in order', async () => {
      const client = await fresh();
      const controller = new AbortController();
      const created: string[] = [];
      for (let i = 0; i < 3; i++) created.push((await client.createAgent({ name: `Streamed ${i}` })).agent.id);

      const stream = client.events.follow({ after: START, signal: controller.signal });
      const firstThree = await within(next(stream, 3), 10_000, 'the stream');
      expect(firstThree.map((event) => [event.type, event.subject])).toEqual(created.map((id) => ['agent.created', id]));

      // The stream is open now (it has delivered): a change made from here on arrives on it.
      const live = within(next(stream, 1), 10_000, 'the live event');
      const { agent } = await client.createAgent({ name: 'Streamed live' });
      expect((await live).map((event) => [event.type, event.subject, event.data.cause])).toEqual([['agent.created', agent.id, 'create']]);
      controller.abort();
      await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });

      // Resuming after the first event delivers the rest, and nothing before it.
      const resumed = await within(take(client.events.follow({ after: firstThree[0]!.position, signal: AbortSignal.timeout(10_000) }), 3), 10_000, 'the resumed stream');
      expect(resumed.map((event) => event.subject)).toEqual([created[1], created[2], agent.id]);

      // Filters: only the updates of one agent.
      await client.updateAgent(created[1]!, { name: 'Renamed' });
      const filtered = await within(take(client.events.follow({ after: START, subject: created[1]!, type: 'agent.updated', signal: AbortSignal.timeout(10_000) }), 1), 10_000, 'the filtered stream');
      expect(filtered.map((event) => [event.type, event.subject, event.data.changedFields])).toEqual([['agent.updated', created[1], ['name']]]);
    }, 30_000);

    it('resumes a dropped connection with Last-Event-ID: no event lost, none twice', async () => {
      const tenant = await t.tenants.create();
      const created: string[] = [];
      for (let i = 0; i < 4; i++) created.push((await clientOf(tenant).createAgent({ name: `Dropped ${i}` })).agent.id);
      await sequenced(t.dataSource);

      // The first connection breaks right after its first message; the client must reconnect.
      const requests: { lastEventId: string | null; after: string | null }[] = [];
      const flaky = async (request: Request): Promise<Response> => {
        requests.push({ lastEventId: request.headers.get('Last-Event-ID'), after: new URL(request.url).searchParams.get('after') });
        const response = await fetch(request);
        if (requests.length > 1 || !request.url.includes('/v1/events/stream')) return response;
        return new Response(cutAfterFirstMessage(response.body!), { status: response.status, headers: response.headers });
      };
      const client = clientOf(tenant, flaky);
      const events = await within(take(client.events.follow({ after: START, reconnectDelayMs: 50, signal: AbortSignal.timeout(10_000) }), 4), 10_000, 'the flaky stream');
      expect(events.map((event) => event.subject)).toEqual(created);
      expect(requests).toEqual([
        { lastEventId: null, after: START },
        { lastEventId: events[0]!.position, after: null },
      ]);
    }, 20_000);

    it('ends when its signal aborts, and throws what a retry cannot change (a 422) instead of retrying it', async () => {
      const client = await fresh();
      const controller = new AbortController();
      const ended = within(take(client.events.follow({ signal: controller.signal }), 1), 5_000, 'the aborted stream');
      setTimeout(() => controller.abort(), 300);
      await expect(ended).resolves.toEqual([]);

      const refused = take(client.events.follow({ after: 'not-a-position', signal: AbortSignal.timeout(5_000) }), 1);
      await expect(refused).rejects.toBeInstanceOf(ValidationError);
    });
  });
});

describe("the client's event-stream parser", () => {
  const bodyOf = (chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });

  it('reads messages split anywhere (a CRLF across chunks too), skips comments, joins data lines, keeps the last id', async () => {
    const messages = [];
    const chunks = ['id: 1\r', '\ndata: {"a"', ':1}\r\n\r\n: keep-alive\n\n', 'event: agent.updated\ndata: a\ndata: b\n\nid: 2\revent: x\r\r', 'data:no space\n\n', 'data: unterminated'];
    for await (const message of sseMessages(bodyOf(chunks))) messages.push(message);
    expect(messages).toEqual([
      { id: '1', event: 'message', data: '{"a":1}' },
      { id: '1', event: 'agent.updated', data: 'a\nb' },
      { id: '2', event: 'message', data: 'no space' },
    ]);
  });
});

/** A body that delivers the stream up to the end of its first message, then fails like a dropped connection. */
function cutAfterFirstMessage(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let text = '';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      text += decoder.decode(value, { stream: true });
      const end = text.indexOf('\n\n', text.indexOf('data:'));
      if (end === -1) return;
      controller.enqueue(encoder.encode(text.slice(0, end + 2)));
      await reader.cancel();
      controller.error(new TypeError('terminated'));
    },
  });
}
