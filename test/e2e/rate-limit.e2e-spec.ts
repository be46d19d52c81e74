import { Redis } from 'ioredis';
import { RequestLimiter } from '../../src/modules/rate-limit/request-limiter.js';
import { call, type HttpAnswer } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import type { Tenant } from '../support/tenants.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

const list = (app: TestApp, as: Tenant) => call(app.baseUrl, 'GET', '/v1/agents', { tenant: as });
const rateHeaders = (answer: HttpAnswer) => ({
  limit: answer.headers.get('ratelimit-limit'),
  remaining: answer.headers.get('ratelimit-remaining'),
  policy: answer.headers.get('ratelimit-policy'),
});
const resetOf = (answer: HttpAnswer) => Number(answer.headers.get('ratelimit-reset'));

function expectRateLimited(answer: HttpAnswer, limit: number): void {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(answer.body).toMatchObject({ detail: `Too many requests for this API key; retry in ${retryAfter} s`, code: 'rate_limited' });
  expect(rateHeaders(answer)).toEqual({ limit: String(limit), remaining: '0', policy: `${limit};w=60` });
  expect(resetOf(answer)).toBe(retryAfter);
}

describe('Rate limit per API key', () => {
  // First: ioredis keeps a timer for a moment after giving up on an unreachable server.
  it('falls back to counting in memory when Redis cannot be reached (no 500, the limit still holds)', async () => {
    const t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const tenant = await t.tenants.create();
      const answers: HttpAnswer[] = [];
      for (let i = 0; i < 6; i++) answers.push(await list(t, tenant));

      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429]);
      expectRateLimited(answers[5], 5);
    } finally {
      await t.close();
    }
  });

  describe('in memory (no REDIS_URL)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
    });
    afterAll(() => t.close());

    it('answers 5 requests a minute, counting down in RateLimit-* headers, then 429 with Retry-After', async () => {
      const tenant = await t.tenants.create();
      const answers: HttpAnswer[] = [];
      for (let i = 0; i < 7; i++) answers.push(await list(t, tenant));

      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(answers.slice(0, 5).map(rateHeaders)).toEqual(
        ['4', '3', '2', '1', '0'].map((remaining) => ({ limit: '5', remaining, policy: '5;w=60' })),
      );
      for (const answer of answers.slice(0, 5)) {
        expect(resetOf(answer)).toBeGreaterThanOrEqual(1);
        expect(resetOf(answer)).toBeLessThanOrEqual(60);
        expect(answer.headers.get('retry-after')).toBeNull();
      }
      expectRateLimited(answers[5], 5);
      expectRateLimited(answers[6], 5);
    });

    it('counts each key on its own: another key of the same project still passes', async () => {
      const first = await t.tenants.create();
      const second = await t.tenants.create({ workspaceId: first.workspaceId, projectId: first.projectId });
      for (let i = 0; i < 5; i++) expect((await list(t, first)).status).toBe(200);
      expectRateLimited(await list(t, first), 5);

      const other = await list(t, second);

      expect(other.status).toBe(200);
      expect(rateHeaders(other)).toEqual({ limit: '5', remaining: '4', policy: '5;w=60' });
    });

    it('counts writes too, and refuses them without writing', async () => {
      const tenant = await t.tenants.create();
      const create = (n: number) =>
        call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: { id: `limited-${n}`, name: 'Limited', model: 'claude-sonnet-4-5' } });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await create(i)).status);

      expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
      const rows = await t.dataSource.query('SELECT id FROM agents WHERE project_id = $1 ORDER BY id', [tenant.projectId]);
      expect(rows.map((row: { id: string }) => row.id)).toEqual(['limited-0', 'limited-1', 'limited-2', 'limited-3', 'limited-4']);
    });

    it('does not count the public health routes, nor refuse them', async () => {
      const tenant = await t.tenants.create();
      for (let i = 0; i < 5; i++) expect((await list(t, tenant)).status).toBe(200);

      for (let i = 0; i < 10; i++) {
        const live = await call(t.baseUrl, 'GET', '/health/live', { tenant });
        expect(live.status).toBe(200);
        expect(live.headers.get('ratelimit-limit')).toBeNull();
      }
      expect((await list(t, tenant)).status).toBe(429);
    });

    it('is counted by each instance on its own without Redis', async () => {
      const second = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' }, { databaseUrl: t.databaseUrl });
      try {
        const tenant = await t.tenants.create();
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await list(t, tenant)).status);
        for (let i = 0; i < 4; i++) statuses.push((await list(second, tenant)).status);
        expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
      } finally {
        await second.close();
      }
    });
  });

  describe('RATE_LIMIT_PER_MINUTE=0', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    });
    afterAll(() => t.close());

    it('turns the limit off: no refusal and no RateLimit-* headers', async () => {
      const tenant = await t.tenants.create();
      const answers = await Promise.all(Array.from({ length: 30 }, () => list(t, tenant)));

      expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
      for (const answer of answers) {
        expect(rateHeaders(answer)).toEqual({ limit: null, remaining: null, policy: null });
        expect(answer.headers.get('ratelimit-reset')).toBeNull();
      }
    });
  });

  it('allows 1200 a minute by default', async () => {
    const t = await startTestApp();
    try {
      const answer = await list(t, await t.tenants.create());
      expect(answer.status).toBe(200);
      expect(rateHeaders(answer)).toEqual({ limit: '1200', remaining: '1199', policy: '1200;w=60' });
    } finally {
      await t.close();
    }
  });

  describe('in Redis (REDIS_URL)', () => {
    let database: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    let redis: Redis;
    const keysUsed: string[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      a = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5', REDIS_URL }, { databaseUrl: database.url });
      b = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5', REDIS_URL }, { databaseUrl: database.url });
      redis = new Redis(REDIS_URL);
      await Promise.all([redisReady(a), redisReady(b)]);
    });
    afterAll(async () => {
      // Only the keys of this run's API keys (random ids); they would expire within a minute anyway.
      if (keysUsed.length > 0) await redis.del(...keysUsed.map((id) => `agents-api:rate:${id}`));
      await redis.quit();
      await a.close();
      await b.close();
      await database.drop();
    });

    it('shares one limit between two instances: 3 requests on A and 3 on B, the 6th is a 429', async () => {
      const tenant = await a.tenants.create();
      keysUsed.push(tenant.keyId);
      const answers: HttpAnswer[] = [];
      for (let i = 0; i < 3; i++) answers.push(await list(a, tenant));
      for (let i = 0; i < 3; i++) answers.push(await list(b, tenant));

      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429]);
      expect(answers.slice(0, 5).map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
      expectRateLimited(answers[5], 5);
      expect(await redis.get(`agents-api:rate:${tenant.keyId}`)).toBe('6');
      const ttl = await redis.pttl(`agents-api:rate:${tenant.keyId}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);

      // And A now refuses too.
      expectRateLimited(await list(a, tenant), 5);
    });

    it('still counts each key on its own', async () => {
      const first = await a.tenants.create();
      const second = await a.tenants.create({ workspaceId: first.workspaceId, projectId: first.projectId });
      keysUsed.push(first.keyId, second.keyId);
      for (let i = 0; i < 5; i++) expect((await list(i % 2 === 0 ? a : b, first)).status).toBe(200);
      expectRateLimited(await list(b, first), 5);

      const other = await list(a, second);
      expect(other.status).toBe(200);
      expect(other.headers.get('ratelimit-remaining')).toBe('4');
    });
  });

});

/** Waits until the instance's limiter has connected to Redis, so that its first requests count there. */
async function redisReady(t: TestApp): Promise<void> {
  const client = (t.app.get(RequestLimiter) as unknown as { redis: Redis | null }).redis;
  if (client === null) throw new Error('the limiter has no Redis client: REDIS_URL was not taken');
  const deadline = Date.now() + 5_000;
  while (client.status !== 'ready') {
    if (Date.now() > deadline) throw new Error(`Redis not ready: ${client.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
