import pg from 'pg';
import { readFeed, type FeedEvent } from '../../support/events.js';
import { agentBody, call } from '../../support/http.js';
import { streamHolds, streamMessages, TestNatsServer, type StreamMessage } from '../../support/nats-server.js';
import type { Tenant } from '../../support/tenants.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase } from '../../support/test-database.js';
import { nanos } from '@nats-io/transport-node';

// The NATS JetStream relay against a real nats-server of each test's own (never the shared one).

const STREAM = 'AGENT_EVENTS';
const CLOUDEVENTS = 'application/cloudevents+json';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every event of the tenants' feeds, in position order: what the stream must hold, once each. */
async function feedOf(t: TestApp, tenants: Tenant[]): Promise<FeedEvent[]> {
  const events = (await Promise.all(tenants.map((tenant) => readFeed(t, tenant)))).flat();
  return events.sort((a, b) => (a.position < b.position ? -1 : 1));
}

/** What the stream must say of the feed: the same JSON, on its subject, with its headers. */
function asPublished(event: FeedEvent) {
  return { subject: `agents.${event.projectid}.${event.type}`, msgId: event.id, contentType: CLOUDEVENTS, event };
}

function received(message: StreamMessage) {
  return { subject: message.subject, msgId: message.msgId, contentType: message.contentType, event: JSON.parse(message.text) as FeedEvent };
}

async function relayReport(t: TestApp): Promise<{ status: number; relay: Record<string, unknown> }> {
  const answer = await call(t.baseUrl, 'GET', '/health/ready');
  return { status: answer.status, relay: answer.body.details.eventRelay };
}

/** Polls readiness until the relay reports `state` (and the predicate holds), or 10 s pass. */
async function relayReaches(t: TestApp, state: string, holds: (relay: Record<string, unknown>) => boolean = () => true) {
  let last = await relayReport(t);
  for (let tries = 0; tries < 100 && !(last.relay?.state === state && holds(last.relay)); tries++) {
    await sleep(100);
    last = await relayReport(t);
  }
  return last;
}

async function changeAgents(t: TestApp, tenant: Tenant, prefix: string): Promise<void> {
  for (const id of [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]) {
    expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id }) })).status).toBe(201);
  }
  expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${prefix}-a`, { tenant, body: { model: 'claude-opus-4-6' } })).status).toBe(200);
  expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${prefix}-a`, { tenant, body: { description: 'Second change' } })).status).toBe(200);
  expect((await call(t.baseUrl, 'DELETE', `/v1/agents/${prefix}-b`, { tenant })).status).toBe(200);
  expect((await call(t.baseUrl, 'DELETE', `/v1/agents/${prefix}-c?hard=true`, { tenant })).status).toBe(200);
}

describe('NATS JetStream relay', () => {
  describe('with NATS up and no stream yet', () => {
    let nats: TestNatsServer;
    let t: TestApp;
    let tenants: Tenant[];

    beforeAll(async () => {
      nats = await TestNatsServer.start();
      t = await startTestApp({ NATS_URL: nats.url });
      tenants = [await t.tenants.create({ tier: 'pro' }), await t.tenants.create({ tier: 'pro' })];
    }, 30_000);
    afterAll(async () => {
      await t?.close();
      await nats?.remove();
    });

    it('creates the stream (agents.>, file storage) and publishes every create, patch and delete once, on its subject, with its headers and the feed\'s JSON', async () => {
      await changeAgents(t, tenants[0]!, 'one');
      await changeAgents(t, tenants[1]!, 'two');
      const feed = await feedOf(t, tenants);
      expect(feed.map((event) => event.type)).toEqual(Array(2).fill(['agent.created', 'agent.created', 'agent.created', 'agent.updated', 'agent.updated', 'agent.deleted', 'agent.deleted']).flat());

      await streamHolds(nats, STREAM, feed.length);
      // Longer than a poll and a NOTIFY: nothing more comes.
      await sleep(1_500);
      const messages = await streamMessages(nats, STREAM);
      expect(messages.map(received)).toEqual(feed.map(asPublished));
      expect(messages.map((message) => message.subject)).toContain(`agents.${tenants[1]!.projectId}.agent.deleted`);
      // The very text of the feed's CloudEvent, not merely equal JSON.
      const feedText = JSON.stringify((await call(t.baseUrl, 'GET', '/v1/events?limit=1', { tenant: tenants[0]! })).body.data[0]);
      expect(messages[0]!.text).toBe(feedText);

      const { connection, manager } = await nats.client();
      try {
        const { config } = await manager.streams.info(STREAM);
        expect({ subjects: config.subjects, storage: config.storage }).toEqual({ subjects: ['agents.>'], storage: 'file' });
      } finally {
        await connection.close();
      }
    }, 30_000);

    it('/health/ready is 200 and reports the relay publishing, with no backlog', async () => {
      const { status, relay } = await relayReaches(t, 'publishing', (report) => report.backlog === 0);
      expect(status).toBe(200);
      expect(relay).toEqual({ status: 'up', state: 'publishing', backlog: 0, lagSeconds: 0 });
    });

    it('a second instance on the same database stands by; together they still publish each event once', async () => {
      const second = await startTestApp({ NATS_URL: nats.url }, { databaseUrl: t.databaseUrl });
      try {
        expect((await relayReaches(second, 'standby')).relay).toMatchObject({ status: 'up', state: 'standby' });
        await changeAgents(second, tenants[0]!, 'three');
        const feed = await feedOf(t, tenants);
        await streamHolds(nats, STREAM, feed.length);
        await sleep(1_500);
        expect((await streamMessages(nats, STREAM)).map(received)).toEqual(feed.map(asPublished));
        expect((await relayReport(t)).relay.state).toBe('publishing');
      } finally {
        await second.close();
      }
    }, 30_000);
  });

  it('leaves an existing stream as it is', async () => {
    const nats = await TestNatsServer.start();
    const { connection, manager } = await nats.client();
    let t: TestApp | undefined;
    try {
      await manager.streams.add({ name: 'RUNNER_FEED', subjects: ['agents.>'], description: 'made by the runners', max_msgs: 1_000 });
      t = await startTestApp({ NATS_URL: nats.url, NATS_STREAM: 'RUNNER_FEED' });
      const tenant = await t.tenants.create({ tier: 'pro' });
      await changeAgents(t, tenant, 'kept');
      const feed = await feedOf(t, [tenant]);

      expect(await streamHolds(nats, 'RUNNER_FEED', feed.length)).toBe(feed.length);
      expect((await streamMessages(nats, 'RUNNER_FEED')).map(received)).toEqual(feed.map(asPublished));
      const { config } = await manager.streams.info('RUNNER_FEED');
      expect({ description: config.description, max_msgs: config.max_msgs, storage: config.storage }).toEqual({ description: 'made by the runners', max_msgs: 1_000, storage: 'file' });
      expect((await manager.streams.names().next()).sort()).toEqual(['RUNNER_FEED']);
    } finally {
      await t?.close();
      await connection.close();
      await nats.remove();
    }
  }, 30_000);

  it('closes promptly while NATS has never been reachable', async () => {
    const nats = await TestNatsServer.prepare();
    const t = await startTestApp({ NATS_URL: nats.url });
    await sleep(1_500);
    const closing = Date.now();
    await t.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
    await nats.remove();
  });

  it('starts and serves while NATS is down, stays ready, and publishes the backlog once NATS is up', async () => {
    const nats = await TestNatsServer.prepare();
    let t: TestApp | undefined;
    try {
      const startedAt = Date.now();
      t = await startTestApp({ NATS_URL: nats.url });
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      const tenant = await t.tenants.create({ tier: 'pro' });

      const writesAt = Date.now();
      await changeAgents(t, tenant, 'down');
      // Seven writes, none of them waiting on NATS.
      expect(Date.now() - writesAt).toBeLessThan(3_000);
      const feed = await feedOf(t, [tenant]);
      expect(feed).toHaveLength(7);

      const down = await relayReaches(t, 'nats_unavailable', (relay) => relay.backlog === 7 && (relay.lagSeconds as number) > 0);
      expect(down.status).toBe(200);
      expect(down.relay).toEqual({ status: 'up', state: 'nats_unavailable', backlog: 7, lagSeconds: expect.any(Number) });

      await nats.up();
      expect(await streamHolds(nats, STREAM, feed.length)).toBe(feed.length);
      await sleep(1_500);
      expect((await streamMessages(nats, STREAM)).map(received)).toEqual(feed.map(asPublished));
      const up = await relayReaches(t, 'publishing', (relay) => relay.backlog === 0);
      expect(up).toEqual({ status: 200, relay: { status: 'up', state: 'publishing', backlog: 0, lagSeconds: 0 } });
    } finally {
      await t?.close();
      await nats.remove();
    }
  }, 45_000);

  it('a new leader whose recorded progress is behind the stream resumes after the stream\'s last event, even past the duplicate window', async () => {
    const nats = await TestNatsServer.start();
    const database = await createTestDatabase();
    const { connection, manager } = await nats.client();
    let t: TestApp | undefined;
    try {
      await manager.streams.add({ name: 'SHORT_WINDOW', subjects: ['agents.>'], duplicate_window: nanos(500) });
      t = await startTestApp({ NATS_URL: nats.url, NATS_STREAM: 'SHORT_WINDOW' }, { databaseUrl: database.url });
      const tenant = await t.tenants.create({ tier: 'pro' });
      await changeAgents(t, tenant, 'before');
      expect(await streamHolds(nats, 'SHORT_WINDOW', 7)).toBe(7);
      await relayReaches(t, 'publishing', (relay) => relay.backlog === 0);
      await t.close();
      t = undefined;
      // As if the leader had died between JetStream's acknowledgements and recording them.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      expect((await client.query("UPDATE agent_event_relays SET published_through = 2 WHERE stream = 'SHORT_WINDOW'")).rowCount).toBe(1);
      await client.end();
      // Past the duplicate window: JetStream would take a re-publish as a new message.
      await sleep(1_000);

      t = await startTestApp({ NATS_URL: nats.url, NATS_STREAM: 'SHORT_WINDOW' }, { databaseUrl: database.url });
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id: 'after' }) })).status).toBe(201);
      const feed = await feedOf(t, [tenant]);
      expect(feed).toHaveLength(8);
      await streamHolds(nats, 'SHORT_WINDOW', 8);
      await sleep(1_500);
      expect((await streamMessages(nats, 'SHORT_WINDOW')).map(received)).toEqual(feed.map(asPublished));
    } finally {
      await t?.close();
      await connection.close();
      await nats.remove();
      await database.drop();
    }
  }, 45_000);
});
