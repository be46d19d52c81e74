import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { agentBody, call } from '../../support/http.js';
import { sequenced, type FeedEvent } from '../../support/events.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import type { Tenant } from '../../support/tenants.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HTTP_WRITERS = 6;
const SLOW_WRITERS = 4;
const WRITES_EACH = 25;

/**
 * The hard part of a change feed: writers take their place in the log in one order and commit in
 * another. Slow writers hold an event uncommitted for up to 150 ms while HTTP writers commit events
 * written after it; a reader pages with `after` as fast as it can all along. With positions that
 * became visible out of order, the reader would pass a position and miss the event that commits
 * behind it later.
 */
describe('the feed under concurrent writers: no gaps, no duplicates', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '20', RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await t.tenants.create({ tier: 'pro' });
  });
  afterAll(() => t.close());

  /** Writes an event in a transaction of its own that stays open for a while after the write. */
  async function slowWriter(writer: number): Promise<string[]> {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    const ids: string[] = [];
    try {
      for (let n = 0; n < WRITES_EACH; n++) {
        const id = `evt_slow_${writer}_${n}_${randomBytes(4).toString('hex')}`;
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO agent_events (project_id, id, type, subject, workspace_id, time, data)
           VALUES ($1, $2, 'agent.updated', 'slow-agent', $3, now(), '{"slow":true}')`,
          [tenant.projectId, id, tenant.workspaceId],
        );
        await sleep(20 + Math.random() * 130);
        // Now and then a writer gives up: its event must never be seen.
        if (n % 7 === 3) {
          await client.query('ROLLBACK');
        } else {
          await client.query('COMMIT');
          ids.push(id);
        }
      }
    } finally {
      await client.end();
    }
    return ids;
  }

  async function httpWriter(writer: number): Promise<number> {
    let answered = 0;
    const id = `writer-${writer}`;
    expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id }) })).status).toBe(201);
    answered++;
    for (let n = 0; n < WRITES_EACH; n++) {
      const answer = n % 2 === 0
        ? await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { description: `change ${n}` } })
        : await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody() });
      expect(answer.status).toBeLessThan(300);
      answered++;
    }
    return answered;
  }

  it('a reader paging with after ends with every committed event exactly once, in increasing position', async () => {
    let writing = true;
    const seen: FeedEvent[] = [];
    let cursor: string | undefined;
    const read = async () => {
      const query = new URLSearchParams({ limit: '7', ...(cursor ? { after: cursor } : {}) });
      const answer = await call(t.baseUrl, 'GET', `/v1/events?${query}`, { tenant });
      expect(answer.status).toBe(200);
      seen.push(...answer.body.data);
      cursor = answer.body.next_cursor ?? cursor;
      return answer.body.has_more as boolean;
    };
    const reader = (async () => {
      while (writing) await read();
    })();

    const [slowIds, httpCounts] = await Promise.all([
      Promise.all(Array.from({ length: SLOW_WRITERS }, (_, i) => slowWriter(i))),
      Promise.all(Array.from({ length: HTTP_WRITERS }, (_, i) => httpWriter(i))),
    ]);
    writing = false;
    await reader;
    await sequenced(t.dataSource);
    while (await read());

    const committed: { id: string }[] = await t.dataSource.query('SELECT id FROM agent_events WHERE project_id = $1', [tenant.projectId]);
    const committedIds = committed.map((row) => row.id).sort();
    const seenIds = seen.map((event) => event.id);
    expect(seenIds.length).toBe(new Set(seenIds).size);
    expect([...seenIds].sort()).toEqual(committedIds);
    expect(seen.length).toBe(slowIds.flat().length + httpCounts.reduce((sum, count) => sum + count, 0));
    const positions = seen.map((event) => BigInt(event.position));
    expect(positions.every((position, i) => i === 0 || position > positions[i - 1]!)).toBe(true);
  }, 60_000);
});
