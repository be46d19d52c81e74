import { EventJanitor } from '../../../src/modules/events/event-janitor.js';
import { agentBody, call, errorBody } from '../../support/http.js';
import { readFeed, sequenced, type FeedEvent } from '../../support/events.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import type { Tenant } from '../../support/tenants.js';

describe('GET /v1/events', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let reader: Tenant;
  let writer: Tenant;
  let all: FeedEvent[];
  const feed = (query: string, as: Tenant = tenant) => call(t.baseUrl, 'GET', `/v1/events${query}`, { tenant: as });

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create();
    other = await t.tenants.create();
    reader = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:read'] });
    writer = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:write'] });
    for (const id of ['alpha', 'beta', 'gamma']) {
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id }) })).status).toBe(201);
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant: other, body: agentBody({ id }) })).status).toBe(201);
    }
    expect((await call(t.baseUrl, 'PATCH', '/v1/agents/beta', { tenant, body: { name: 'Beta 2' } })).status).toBe(200);
    expect((await call(t.baseUrl, 'DELETE', '/v1/agents/gamma', { tenant })).status).toBe(200);
    all = await readFeed(t, tenant);
  });
  afterAll(() => t.close());

  it("lists the project's events oldest first, in strictly increasing positions", () => {
    expect(all.map((event) => [event.type, event.subject])).toEqual([
      ['agent.created', 'alpha'],
      ['agent.created', 'beta'],
      ['agent.created', 'gamma'],
      ['agent.updated', 'beta'],
      ['agent.deleted', 'gamma'],
    ]);
    const positions = all.map((event) => event.position);
    expect(positions.every((position, i) => i === 0 || BigInt(position) > BigInt(positions[i - 1]!))).toBe(true);
  });

  it('pages with limit and next_cursor as after, each event once', async () => {
    const first = await feed('?limit=2');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.body).toEqual({ object: 'list', data: all.slice(0, 2), has_more: true, next_cursor: all[1]!.position });
    const second = await feed(`?limit=2&after=${first.body.next_cursor}`);
    expect(second.body).toEqual({ object: 'list', data: all.slice(2, 4), has_more: true, next_cursor: all[3]!.position });
    const last = await feed(`?limit=2&after=${second.body.next_cursor}`);
    expect(last.body).toEqual({ object: 'list', data: all.slice(4), has_more: false, next_cursor: all[4]!.position });
    // At the end, the cursor stays where the reader is: poll again with it.
    expect((await feed(`?after=${last.body.next_cursor}`)).body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: all[4]!.position });
  });

  it('takes a position without its leading zeros', async () => {
    const answer = await feed(`?after=${BigInt(all[2]!.position)}`);
    expect(answer.body.data).toEqual(all.slice(3));
  });

  it('filters by type and by subject, alone and together', async () => {
    expect((await feed('?type=agent.created')).body.data.map((event: FeedEvent) => event.subject)).toEqual(['alpha', 'beta', 'gamma']);
    expect((await feed('?subject=beta')).body.data.map((event: FeedEvent) => event.type)).toEqual(['agent.created', 'agent.updated']);
    expect((await feed('?subject=beta&type=agent.updated')).body.data).toEqual([all[3]]);
    expect((await feed('?subject=nobody')).body.data).toEqual([]);
  });

  it("never shows another project's events, with or without filters", async () => {
    const theirs = await readFeed(t, other);
    expect(theirs.map((event) => event.projectid)).toEqual([other.projectId, other.projectId, other.projectId]);
    expect(theirs.map((event) => event.subject)).toEqual(['alpha', 'beta', 'gamma']);
    for (const query of ['', '?subject=beta', '?type=agent.deleted', `?after=${all[0]!.position}`]) {
      const answer = await feed(query, other);
      expect(answer.body.data.every((event: FeedEvent) => event.projectid === other.projectId)).toBe(true);
      expect(answer.body.data.some((event: FeedEvent) => event.type !== 'agent.created')).toBe(false);
    }
  });

  it('needs agents:read: a write-only key is a 403, a read-only key reads', async () => {
    expect((await feed('', writer)).status).toBe(403);
    expect((await feed('', reader)).body.data).toEqual(all);
    expect((await call(t.baseUrl, 'GET', '/v1/events')).status).toBe(401);
  });

  it('is served unprefixed too, as the same route', async () => {
    expect((await call(t.baseUrl, 'GET', '/events?limit=2', { tenant })).body.data).toEqual(all.slice(0, 2));
  });

  it.each([
    ['after', 'after=abc'],
    ['after', 'after=-1'],
    ['after', `after=${'9'.repeat(19)}`],
    ['limit', 'limit=0'],
    ['limit', 'limit=1001'],
    ['type', 'type=agent.renamed'],
    ['subject', 'subject=' + 'x'.repeat(65)],
    ['subject', 'subject=-bad'],
    ['cursor', 'cursor=abc'],
  ])('answers a bad %s (%s) with a 422 on its loc', async (name, query) => {
    const answer = await feed(`?${query}`);
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('validation_failed');
    expect(answer.body.detail.map((problem: { loc: string[] }) => problem.loc)).toEqual([['query', name]]);
  });

  it('takes limit up to 1,000 and gives 100 by default', async () => {
    expect((await feed('?limit=1000')).status).toBe(200);
    const many = await t.tenants.create();
    for (let n = 0; n < 101; n++) await call(t.baseUrl, 'POST', '/v1/agents', { tenant: many, body: agentBody() });
    await sequenced(t.dataSource);
    const page = await feed('', many);
    expect(page.body.data).toHaveLength(100);
    expect(page.body.has_more).toBe(true);
  });

  describe('retention', () => {
    let kept: Tenant;
    let events: FeedEvent[];

    beforeAll(async () => {
      kept = await t.tenants.create();
      for (const id of ['old-1', 'old-2', 'new-1']) {
        expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant: kept, body: agentBody({ id }) })).status).toBe(201);
      }
      events = await readFeed(t, kept);
      await t.dataSource.query(`UPDATE agent_events SET time = now() - interval '8 days' WHERE project_id = $1 AND subject LIKE 'old-%'`, [kept.projectId]);
      // Another project's old events are not this one's horizon.
      await t.dataSource.query(`UPDATE agent_events SET time = now() - interval '8 days' WHERE project_id = $1`, [other.projectId]);
      await t.app.get(EventJanitor).sweep();
    });

    it('removes events older than EVENTS_RETENTION_DAYS (7), and only those', async () => {
      expect((await readFeed(t, kept)).map((event) => event.subject)).toEqual(['new-1']);
      expect(await readFeed(t, other)).toEqual([]);
      expect((await readFeed(t, tenant)).length).toBe(all.length);
    });

    it('answers 410 cursor_expired to an after older than what is kept, and not to one at the horizon or past it', async () => {
      const expired = await feed(`?after=${events[0]!.position}`, kept);
      expect(expired.status).toBe(410);
      expect(expired.body).toEqual(
        errorBody(410, `Events after ${events[0]!.position} are no longer kept (events are kept 7 days): read from the start, without after`, 'cursor_expired'),
      );
      expect((await feed('?after=0', kept)).status).toBe(410);
      expect((await feed(`?after=${events[1]!.position}`, kept)).body.data.map((event: FeedEvent) => event.subject)).toEqual(['new-1']);
      expect((await feed('', kept)).body.data.map((event: FeedEvent) => event.subject)).toEqual(['new-1']);
    });

    it("does not expire another project's cursor", async () => {
      expect((await feed(`?after=${all[0]!.position}`)).status).toBe(200);
    });
  });
});
