import pg from 'pg';
import { ServiceMetrics } from '../../../src/modules/metrics/service-metrics.js';
import { agentBody, call, errorBody } from '../../support/http.js';
import { feedEnd, readFeed, sequenced, type FeedEvent } from '../../support/events.js';
import { openStream, type SseMessage, type SseStream } from '../../support/sse.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import type { Tenant } from '../../support/tenants.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STREAM = '/v1/events/stream';
const POOL_SIZE = 10;

/** What the feed says of the message's event, as the message must carry it. */
const asMessage = (event: FeedEvent): SseMessage => ({ id: event.position, event: event.type, data: JSON.stringify(event) });
const parsed = (messages: readonly SseMessage[]) => messages.map((message) => ({ ...message, data: JSON.parse(message.data) as FeedEvent }));
const positions = (messages: readonly SseMessage[]) => messages.map((message) => message.id);

async function counterValue(t: TestApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await t.app.get(ServiceMetrics).registry.getSingleMetric(name)!.get();
  const value = metric.values.find((entry) => Object.entries(labels).every(([key, expected]) => entry.labels[key] === expected));
  return value?.value ?? 0;
}

describe('GET /v1/events/stream: the live stream (Server-Sent Events)', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let counter = 0;
  const open: SseStream[] = [];
  const newId = () => `stream-agent-${++counter}`;
  const stream = async (path = STREAM, options: Parameters<typeof openStream>[2] = { tenant }) => {
    const opened = await openStream(t.baseUrl, path, options);
    open.push(opened);
    return opened;
  };
  const create = async (as: Tenant = tenant, fields: Record<string, unknown> = {}) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody({ id: newId(), ...fields }) });
    expect(answer.status).toBe(201);
    return answer.body.agent.id as string;
  };
  const patch = async (id: string, description: string) =>
    expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { description } })).status).toBe(200);

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: String(POOL_SIZE), RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await t.tenants.create({ tier: 'pro' });
    other = await t.tenants.create({ tier: 'pro' });
  });
  afterEach(() => {
    open.splice(0).forEach((opened) => opened.close());
  });
  afterAll(() => t.close());

  it('answers 200 text/event-stream, uncached and unbuffered, with the headers every route gets', async () => {
    const opened = await stream();
    expect(opened.status).toBe(200);
    expect(opened.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-request-id': expect.any(String),
      'x-content-type-options': 'nosniff',
    });
  });

  it('is counted (and logged) like any request once its client closes it, and no longer in flight', async () => {
    const answered = { route: '/v1/events/stream', status_code: '200' };
    await sleep(200); // the streams of the tests before have closed
    const before = await counterValue(t, 'http_requests_total', answered);
    const opened = await stream();
    await sleep(100);
    expect(await counterValue(t, 'http_requests_in_flight')).toBe(1);
    opened.close();
    await sleep(200);
    expect(await counterValue(t, 'http_requests_total', answered)).toBe(before + 1);
    expect(await counterValue(t, 'http_requests_in_flight')).toBe(0);
  });

  it('delivers a POST, a PATCH and a DELETE within a second each, as id/event/data messages equal to the feed\'s events', async () => {
    const opened = await stream();
    const since = await feedEnd(t, tenant);
    const id = newId();
    const steps: [() => Promise<unknown>, string][] = [
      [() => call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id }) }), 'agent.created'],
      [() => call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { description: 'Changed' } }), 'agent.updated'],
      [() => call(t.baseUrl, 'DELETE', `/v1/agents/${id}`, { tenant }), 'agent.deleted'],
    ];
    for (const [index, [act, type]] of steps.entries()) {
      const answer = (await act()) as { status: number };
      expect(answer.status).toBeLessThan(300);
      const committed = Date.now();
      const message = (await opened.waitForMessages(index + 1, 1_000))[index]!;
      expect(Date.now() - committed).toBeLessThan(1_000);
      expect(message.event).toBe(type);
    }
    expect(opened.messages).toEqual((await readFeed(t, tenant, {}, since)).map(asMessage));
    expect(opened.messages.every((message) => !message.data.includes('\n'))).toBe(true);
  });

  it('with neither Last-Event-ID nor after: only the events committed from now on', async () => {
    await create();
    await sequenced(t.dataSource);
    const opened = await stream();
    const id = await create();
    const [message] = await opened.waitForMessages(1);
    expect(parsed([message!])[0]!.data.subject).toBe(id);
    await sleep(300);
    expect(opened.messages).toHaveLength(1);
  });

  it('resumes after Last-Event-ID: what was committed while away, then live, no gap and no duplicate', async () => {
    const since = await feedEnd(t, tenant);
    const first = await stream(`${STREAM}?after=${since}`);
    const agent = await create();
    await patch(agent, 'one');
    const received = await first.waitForMessages(2);
    first.close();
    // Away: two changes, and more keep coming while it reconnects.
    await patch(agent, 'two');
    await create();
    const writes = (async () => {
      for (let n = 0; n < 10; n++) await patch(agent, `during ${n}`);
    })();
    const resumed = await stream(STREAM, { tenant, headers: { 'last-event-id': received.at(-1)!.id! } });
    await writes;
    const expected = (await readFeed(t, tenant, {}, since)).map(asMessage);
    expect(expected).toHaveLength(14);
    const rest = await resumed.waitForMessages(expected.length - received.length);
    expect([...received, ...rest]).toEqual(expected);
    await sleep(300);
    expect(resumed.messages).toHaveLength(expected.length - received.length);
  });

  it('streams opened from a position while changes commit hand over from the log to live without a gap or a duplicate', async () => {
    const since = await feedEnd(t, tenant);
    // A backlog of large events, so that each catch-up's last read of the log takes a while.
    await t.dataSource.query(
      `INSERT INTO agent_events (project_id, id, type, subject, workspace_id, time, data)
       SELECT $1, 'evt_backlog_' || n, 'agent.updated', 'backlog-agent', $2, now(), json_build_object('filler', repeat('x', 32768))
         FROM generate_series(1, 200) AS n`,
      [tenant.projectId, tenant.workspaceId],
    );
    const agents = await Promise.all([create(), create(), create()]);
    let writing = true;
    const writers = agents.map(async (agent) => {
      for (let n = 0; writing; n++) await patch(agent, `change ${n}`);
    });
    // In bursts, so that their catch-up reads queue for the pool while events are dispatched.
    const streams: SseStream[] = [];
    for (let burst = 0; burst < 6; burst++) {
      streams.push(...(await Promise.all(Array.from({ length: 3 }, () => stream(`${STREAM}?after=${since}`)))));
      await sleep(60);
    }
    writing = false;
    await Promise.all(writers);
    const expected = positions((await readFeed(t, tenant, {}, since)).map(asMessage));
    for (const opened of streams) expect(positions(await opened.waitForMessages(expected.length, 5_000))).toEqual(expected);
    await sleep(300);
    expect(streams.map((opened) => opened.messages.length)).toEqual(Array(18).fill(expected.length));
  }, 20_000);

  it('resumes after `after` the same way; Last-Event-ID wins over after', async () => {
    const since = await feedEnd(t, tenant);
    const agent = await create();
    await patch(agent, 'one');
    await patch(agent, 'two');
    const feed = await readFeed(t, tenant, {}, since);
    const fromAfter = await stream(`${STREAM}?after=${since}`);
    expect(await fromAfter.waitForMessages(3)).toEqual(feed.map(asMessage));
    const both = await stream(`${STREAM}?after=${since}`, { tenant, headers: { 'last-event-id': feed[1]!.position } });
    await patch(agent, 'three');
    const [latest] = await readFeed(t, tenant, {}, feed[2]!.position);
    expect(await both.waitForMessages(2)).toEqual([feed[2]!, latest!].map(asMessage));
    expect(await fromAfter.waitForMessages(4)).toEqual([...feed, latest!].map(asMessage));
  });

  it('filters by type and by subject', async () => {
    const since = await feedEnd(t, tenant);
    const watched = await create();
    const byType = await stream(`${STREAM}?after=${since}&type=agent.updated`);
    const bySubject = await stream(`${STREAM}?after=${since}&subject=${watched}`);
    const both = await stream(`${STREAM}?after=${since}&type=agent.updated&subject=${watched}`);
    const unwatched = await create();
    await patch(unwatched, 'not watched');
    await patch(watched, 'watched');
    await call(t.baseUrl, 'DELETE', `/v1/agents/${watched}`, { tenant });
    const feed = await readFeed(t, tenant, {}, since);
    const of = (keep: (event: FeedEvent) => boolean) => feed.filter(keep).map(asMessage);
    expect(await byType.waitForMessages(2)).toEqual(of((event) => event.type === 'agent.updated'));
    expect(await bySubject.waitForMessages(3)).toEqual(of((event) => event.subject === watched));
    expect(await both.waitForMessages(1)).toEqual(of((event) => event.type === 'agent.updated' && event.subject === watched));
    await sleep(300);
    expect([byType.messages.length, bySubject.messages.length, both.messages.length]).toEqual([2, 3, 1]);
  });

  it("another project's key sees none of the project's events, with and without filters", async () => {
    const agent = await create();
    const since = '0';
    const streams = await Promise.all([
      stream(STREAM, { tenant: other }),
      stream(`${STREAM}?after=${since}`, { tenant: other }),
      stream(`${STREAM}?after=${since}&subject=${agent}`, { tenant: other }),
      stream(`${STREAM}?after=${since}&type=agent.updated`, { tenant: other }),
    ]);
    await patch(agent, 'theirs');
    const own = await create(other);
    await call(t.baseUrl, 'PATCH', `/v1/agents/${own}`, { tenant: other, body: { description: 'mine' } });
    await sequenced(t.dataSource);
    const [all, fromStart, bySubject, byType] = streams;
    const ownFeed = (await readFeed(t, other)).map(asMessage);
    expect(await all!.waitForMessages(2)).toEqual(ownFeed);
    expect(await fromStart!.waitForMessages(2)).toEqual(ownFeed);
    expect(await byType!.waitForMessages(1)).toEqual([ownFeed[1]]);
    await sleep(500);
    expect(bySubject!.messages).toEqual([]);
    for (const opened of streams) expect(parsed(opened.messages).every((message) => message.data.projectid === other.projectId)).toBe(true);
  });

  it('an invalid Last-Event-ID is a 422 on ["header", "last-event-id"], with the query\'s problems', async () => {
    const bad = await stream(STREAM, { tenant, headers: { 'last-event-id': 'evt_123' } });
    expect(bad.status).toBe(422);
    await bad.ended;
    expect(JSON.parse(bad.text())).toMatchObject({
      code: 'validation_failed',
      detail: [{ loc: ['header', 'last-event-id'], type: 'invalid_cursor', msg: expect.any(String) }],
    });
    const both = await stream(`${STREAM}?type=nope`, { tenant, headers: { 'last-event-id': '-1' } });
    expect(both.status).toBe(422);
    await both.ended;
    expect(JSON.parse(both.text()).detail.map((problem: { loc: string[] }) => problem.loc)).toEqual([['query', 'type'], ['header', 'last-event-id']]);
  });

  it('a start older than the retention horizon is the 410 cursor_expired, as JSON, before any streaming', async () => {
    const project = await t.tenants.create({ tier: 'pro' });
    await t.dataSource.query('INSERT INTO agent_event_horizons (project_id, expired_through) VALUES ($1, 500)', [project.projectId]);
    const detail = 'Events after 000000000000000499 are no longer kept (events are kept 7 days): read from the start, without after';
    const starts: { path: string; headers: Record<string, string> }[] = [{ path: `${STREAM}?after=499`, headers: {} }, { path: STREAM, headers: { 'last-event-id': '499' } }];
    for (const options of starts) {
      const expired = await stream(options.path, { tenant: project, headers: options.headers });
      expect(expired.status).toBe(410);
      expect(expired.headers['content-type']).toMatch(/^application\/json/);
      await expired.ended;
      expect(JSON.parse(expired.text())).toEqual(errorBody(410, detail, 'cursor_expired'));
    }
    const atHorizon = await stream(`${STREAM}?after=500`, { tenant: project });
    expect(atHorizon.status).toBe(200);
  });

  it('200 open streams hold no pool connection each (at most the pool, and one events listener) and all receive a new event', async () => {
    const streams = await Promise.all(Array.from({ length: 200 }, () => stream()));
    expect(streams.every((opened) => opened.status === 200)).toBe(true);
    const id = await create();
    const messages = await Promise.all(streams.map((opened) => opened.waitForMessages(1, 2_000)));
    expect(messages.map(([message]) => parsed([message!])[0]!.data.subject)).toEqual(Array(200).fill(id));
    const [{ pooled, listeners }] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE application_name = 'agents-api')::int AS pooled,
              count(*) FILTER (WHERE application_name = 'agents-api-events-listener')::int AS listeners
         FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
    );
    expect(listeners).toBe(1);
    expect(pooled).toBeLessThanOrEqual(POOL_SIZE);
    expect(await counterValue(t, 'events_streams_open')).toBeGreaterThanOrEqual(200);
  });

  it('the listener connection, cut, is opened again; meanwhile the poll still delivers within a second', async () => {
    const listenerCount = async (): Promise<number> =>
      (await t.dataSource.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'agents-api-events-listener'"))[0].n;
    const opened = await stream();
    const [{ cut }] = await t.dataSource.query(
      "SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'agents-api-events-listener'",
    );
    expect(cut).toBe(1);
    const id = await create();
    const committed = Date.now();
    const [message] = await opened.waitForMessages(1, 1_500);
    expect(Date.now() - committed).toBeLessThan(1_200);
    expect(parsed([message!])[0]!.data.subject).toBe(id);
    for (let tries = 0; tries < 40 && (await listenerCount()) !== 1; tries++) await sleep(100);
    expect(await listenerCount()).toBe(1);
    // And the stream goes on.
    await create();
    await opened.waitForMessages(2, 1_000);
  });

  it('a client that stops reading is dropped while the others keep receiving', async () => {
    const dropped = await counterValue(t, 'events_streams_dropped_total', { reason: 'slow' });
    const since = await feedEnd(t, tenant);
    const slow = await stream();
    const steady = await stream();
    await slow.waitForMessages(0);
    slow.pause();
    // 512 KiB events, until the slow client's socket has been full for SLOW_CLIENT_MS (bounded).
    let written = 0;
    const deadline = Date.now() + 20_000;
    while ((await counterValue(t, 'events_streams_dropped_total', { reason: 'slow' })) === dropped && Date.now() < deadline) {
      await t.dataSource.query(
        `INSERT INTO agent_events (project_id, id, type, subject, workspace_id, time, data)
         SELECT $1, 'evt_bulk_' || $3 || '_' || n, 'agent.updated', 'bulk-agent', $2, now(), json_build_object('filler', repeat('x', 524288))
           FROM generate_series(1, 4) AS n`,
        [tenant.projectId, tenant.workspaceId, written],
      );
      written += 4;
      await sleep(100);
    }
    expect(await counterValue(t, 'events_streams_dropped_total', { reason: 'slow' })).toBe(dropped + 1);
    const feed = await readFeed(t, tenant, {}, since);
    expect(feed).toHaveLength(written);
    expect(positions(await steady.waitForMessages(written, 10_000))).toEqual(feed.map((event) => event.position));
    slow.resume();
    expect(await slow.ended).toBe('aborted');
    expect(slow.messages.length).toBeLessThan(written);
    expect(positions(slow.messages)).toEqual(feed.slice(0, slow.messages.length).map((event) => event.position));
  }, 40_000);
});

describe('GET /v1/events/stream: heartbeats and timeouts', () => {
  it('sends a comment line every EVENTS_HEARTBEAT_SECONDS, and REQUEST_TIMEOUT_MS does not cut the stream', async () => {
    const t = await startTestApp({ EVENTS_HEARTBEAT_SECONDS: '1', REQUEST_TIMEOUT_MS: '1000' });
    try {
      const tenant = await t.tenants.create({ tier: 'pro' });
      const opened = await openStream(t.baseUrl, STREAM, { tenant });
      let ended = false;
      void opened.ended.then(() => (ended = true));
      await sleep(3_300);
      expect(opened.comments).toEqual(['keep-alive', 'keep-alive', 'keep-alive']);
      expect(opened.text()).toBe(': keep-alive\n\n'.repeat(3));
      expect(ended).toBe(false);
      const id = (await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody() })).body.agent.id;
      const [message] = await opened.waitForMessages(1);
      expect(JSON.parse(message!.data).subject).toBe(id);
      opened.close();
    } finally {
      await t.close();
    }
  });
});

describe('GET /v1/events/stream: shutdown', () => {
  it('app.close() ends every open stream cleanly and promptly, and closes the listener', async () => {
    const t = await startTestApp({ SHUTDOWN_TIMEOUT_MS: '4000' });
    let closed = false;
    try {
      const tenant = await t.tenants.create({ tier: 'pro' });
      const streams = await Promise.all(Array.from({ length: 5 }, () => openStream(t.baseUrl, STREAM, { tenant })));
      await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody() });
      await Promise.all(streams.map((opened) => opened.waitForMessages(1)));
      const [{ listeners }] = await t.dataSource.query(
        "SELECT count(*)::int AS listeners FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'agents-api-events-listener'",
      );
      expect(listeners).toBe(1);
      const started = Date.now();
      await t.app.close();
      closed = true;
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await Promise.all(streams.map((opened) => opened.ended))).toEqual(Array(5).fill('end'));
      expect(await counterValue(t, 'events_streams_dropped_total', { reason: 'shutdown' })).toBe(5);
      expect(await counterValue(t, 'http_requests_total', { route: '/v1/events/stream', status_code: '200' })).toBe(5);
      // What still holds a connection to the service's database once it stopped (a backend takes a moment to exit).
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      let left: { application_name: string }[] = [];
      for (let tries = 0; tries < 20; tries++) {
        ({ rows: left } = await client.query(
          "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        ));
        if (left.length === 0) break;
        await sleep(50);
      }
      await client.end();
      expect(left).toEqual([]);
    } finally {
      if (!closed) await t.app.close();
      await t.close();
    }
  });
});
