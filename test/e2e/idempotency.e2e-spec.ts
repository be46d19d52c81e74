import { randomUUID } from 'node:crypto';
import { IdempotencyStore } from '../../src/modules/idempotency/idempotency.store.js';
import { agentBody, call, type HttpAnswer } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import type { Tenant } from '../support/tenants.js';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let tenant: Tenant;
  const post = (body: unknown, key: string | undefined, as: Tenant = tenant, app: TestApp = t) =>
    call(app.baseUrl, 'POST', '/v1/agents', { tenant: as, body, headers: key === undefined ? {} : { 'idempotency-key': key } });
  const agentCount = async (projectId = tenant.projectId) =>
    Number((await t.dataSource.query('SELECT count(*) FROM agents WHERE project_id = $1', [projectId]))[0].count);
  const agentsNamed = async (name: string, projectId = tenant.projectId) =>
    (await t.dataSource.query('SELECT id FROM agents WHERE project_id = $1 AND name = $2 ORDER BY created_at', [projectId, name])).map(
      (row: { id: string }) => row.id,
    );
  const storedKeys = async (key: string) =>
    t.dataSource.query('SELECT api_key_id, response_status, created_at, expires_at FROM idempotency_keys WHERE key = $1', [key]);
  const replayed = (answer: HttpAnswer) => answer.headers.get('idempotent-replayed');
  const newKey = () => `key-${randomUUID()}`;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'free' });
  });
  afterAll(() => t.close());

  describe('a retry with the same key and body', () => {
    it('replays the first answer (status, body, Location, ETag) with Idempotent-Replayed: true and creates one agent', async () => {
      const key = newKey();
      const body = agentBody({ name: 'Replayed once' });
      const first = await post(body, key);
      const second = await post(body, key);
      const third = await post(body, key);

      expect(first.status).toBe(201);
      expect(replayed(first)).toBeNull();
      expect(first.headers.get('location')).toBe(`/v1/agents/${first.body.agent.id}`);
      for (const retry of [second, third]) {
        expect(retry.status).toBe(201);
        expect(replayed(retry)).toBe('true');
        expect(retry.body).toEqual(first.body);
        expect(retry.headers.get('location')).toBe(first.headers.get('location'));
        expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
        expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
      }
      expect(await agentsNamed('Replayed once')).toEqual([first.body.agent.id]);
    });

    it('keeps the answer for 24 hours, under the caller\'s key', async () => {
      const key = newKey();
      expect((await post(agentBody({ name: 'Kept a day' }), key)).status).toBe(201);

      const rows = await storedKeys(key);
      expect(rows).toHaveLength(1);
      expect(rows[0].api_key_id).toBe(tenant.keyId);
      expect(rows[0].response_status).toBe(201);
      expect(rows[0].expires_at.getTime() - rows[0].created_at.getTime()).toBe(24 * 3600 * 1000);
    });

    it('takes a body with its fields in another order as the same body', async () => {
      const key = newKey();
      const first = await post({ name: 'Order-free', model: 'claude-sonnet-4-5', metadata: { a: 1, b: 2 } }, key);
      const second = await post({ metadata: { b: 2, a: 1 }, model: 'claude-sonnet-4-5', name: 'Order-free' }, key);

      expect([first.status, second.status, replayed(second)]).toEqual([201, 201, 'true']);
      expect(second.body).toEqual(first.body);
      expect(await agentsNamed('Order-free')).toHaveLength(1);
    });

    it('does nothing special without the header: each request creates', async () => {
      const before = await agentCount();
      const first = await post(agentBody({ name: 'No key' }), undefined);
      const second = await post(agentBody({ name: 'No key' }), undefined);

      expect([first.status, second.status]).toEqual([201, 201]);
      expect(replayed(first)).toBeNull();
      expect(replayed(second)).toBeNull();
      expect(second.body.agent.id).not.toBe(first.body.agent.id);
      expect(await agentCount()).toBe(before + 2);
    });
  });

  describe('the same key with another request', () => {
    it('is a 422 idempotency_key_reused for another body, and creates nothing', async () => {
      const key = newKey();
      expect((await post(agentBody({ name: 'Original' }), key)).status).toBe(201);
      const before = await agentCount();

      const reused = await post(agentBody({ name: 'Something else' }), key);

      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ detail: expect.stringContaining('Idempotency-Key'), code: 'idempotency_key_reused' });
      expect(replayed(reused)).toBeNull();
      expect(await agentCount()).toBe(before);
      expect(await agentsNamed('Something else')).toEqual([]);
    });

    it('is a 422 idempotency_key_reused for another path (a restore after a create)', async () => {
      const key = newKey();
      const created = await post(agentBody({ id: 'reused-across-paths' }), key);
      expect(created.status).toBe(201);

      const restore = await call(t.baseUrl, 'POST', '/v1/agents/reused-across-paths/versions/1.0.0/restore', {
        tenant, headers: { 'idempotency-key': key },
      });

      expect(restore.status).toBe(422);
      expect(restore.body.code).toBe('idempotency_key_reused');
    });
  });

  it('scopes keys to the API key: another key of the same project with the same Idempotency-Key creates its own agent', async () => {
    const colleague = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId });
    const key = newKey();
    const body = agentBody({ name: 'Scoped per key' });

    const mine = await post(body, key);
    const theirs = await post(body, key, colleague);
    const myRetry = await post(body, key);
    const theirRetry = await post(body, key, colleague);

    expect([mine.status, theirs.status, myRetry.status, theirRetry.status]).toEqual([201, 201, 201, 201]);
    expect([replayed(mine), replayed(theirs), replayed(myRetry), replayed(theirRetry)]).toEqual([null, null, 'true', 'true']);
    expect(theirs.body.agent.id).not.toBe(mine.body.agent.id);
    expect(myRetry.body.agent.id).toBe(mine.body.agent.id);
    expect(theirRetry.body.agent.id).toBe(theirs.body.agent.id);
    expect((await agentsNamed('Scoped per key')).sort()).toEqual([mine.body.agent.id, theirs.body.agent.id].sort());
    expect((await storedKeys(key)).map((row: { api_key_id: string }) => row.api_key_id).sort()).toEqual([tenant.keyId, colleague.keyId].sort());
  });

  describe('while the first request is in flight', () => {
    it('answers a retry 409 idempotency_key_in_flight, then replays the first answer once it is done', async () => {
      const key = newKey();
      const body = agentBody({ name: 'Held up' });
      // Hold the first request inside its work: its INSERT waits for this transaction's table lock.
      const blocker = t.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      let first: Promise<HttpAnswer>;
      try {
        await blocker.query('LOCK TABLE agents IN SHARE MODE');
        first = post(body, key);
        await waitFor(async () => Number((await t.dataSource.query(
          "SELECT count(*) FROM pg_locks WHERE relation = 'agents'::regclass AND NOT granted",
        ))[0].count) === 1);

        const retry = await post(body, key);

        expect(retry.status).toBe(409);
        expect(retry.body).toMatchObject({ detail: expect.stringContaining('still being processed'), code: 'idempotency_key_in_flight' });
        expect(replayed(retry)).toBeNull();
      } finally {
        await blocker.commitTransaction();
        await blocker.release();
      }
      const done = await first!;
      expect(done.status).toBe(201);
      expect(replayed(done)).toBeNull();

      const later = await post(body, key);
      expect([later.status, replayed(later)]).toEqual([201, 'true']);
      expect(later.body).toEqual(done.body);
      expect(await agentsNamed('Held up')).toEqual([done.body.agent.id]);
    });

    it('creates exactly one agent out of 20 parallel requests with one key: 201 or 409 in flight, and a later retry replays the 201', async () => {
      const key = newKey();
      const body = agentBody({ name: 'Twenty at once' });

      const answers = await Promise.all(Array.from({ length: 20 }, () => post(body, key)));

      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
      const fresh = answers.filter((answer) => answer.status === 201 && replayed(answer) === null);
      expect(fresh).toHaveLength(1);
      for (const conflict of answers.filter((answer) => answer.status === 409)) {
        expect(conflict.body).toMatchObject({ detail: expect.any(String), code: 'idempotency_key_in_flight' });
      }
      for (const replay of answers.filter((answer) => answer.status === 201 && replayed(answer) === 'true')) {
        expect(replay.body).toEqual(fresh[0].body);
      }
      expect(await agentsNamed('Twenty at once')).toEqual([fresh[0].body.agent.id]);

      const later = await post(body, key);
      expect([later.status, replayed(later)]).toEqual([201, 'true']);
      expect(later.body).toEqual(fresh[0].body);
      expect(later.headers.get('location')).toBe(`/v1/agents/${fresh[0].body.agent.id}`);
      expect(await agentsNamed('Twenty at once')).toHaveLength(1);
    });
  });

  it('replays a recorded 409 agent_id_conflict, even once the id is free again', async () => {
    expect((await post(agentBody({ id: 'taken-id' }), undefined)).status).toBe(201);
    const key = newKey();
    const body = agentBody({ id: 'taken-id', name: 'Latecomer' });

    const conflict = await post(body, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ detail: 'An agent with the id taken-id already exists in this project', code: 'agent_id_conflict' });
    expect(replayed(conflict)).toBeNull();

    expect((await call(t.baseUrl, 'DELETE', '/v1/agents/taken-id?hard=true', { tenant })).status).toBe(200);
    const retry = await post(body, key);

    expect(retry.status).toBe(409);
    expect(replayed(retry)).toBe('true');
    expect(retry.body).toEqual(conflict.body);
    expect(await agentsNamed('Latecomer')).toEqual([]);
    expect((await storedKeys(key))[0].response_status).toBe(409);
  });

  describe('an invalid key', () => {
    const invalid = [
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['non-ASCII', 'clé-1'],
      ['a control character', 'tab\there'],
    ] as const;

    it.each(invalid)('is a 422 on ["header","Idempotency-Key"] when %s, and creates nothing', async (_, key) => {
      const before = await agentCount();
      const answer = await post(agentBody({ name: 'Invalid key' }), key);

      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({
        detail: [{ loc: ['header', 'Idempotency-Key'], msg: 'Idempotency-Key must be 1 to 255 visible ASCII characters', type: 'invalid_idempotency_key' }],
      });
      expect(await agentCount()).toBe(before);
    });

    it('accepts 255 characters', async () => {
      const key = 'k'.repeat(254) + randomUUID().slice(0, 1);
      const first = await post(agentBody({ name: 'Longest key' }), key);
      const second = await post(agentBody({ name: 'Longest key' }), key);
      expect([first.status, second.status, replayed(second)]).toEqual([201, 201, 'true']);
      expect(await agentsNamed('Longest key')).toHaveLength(1);
    });
  });

  describe('POST /v1/agents/{id}/versions/{version}/restore', () => {
    const versionNumbers = async (id: string) =>
      (await t.dataSource.query('SELECT version FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ORDER BY number', [tenant.projectId, id])).map(
        (row: { version: string }) => row.version,
      );
    const restore = (id: string, version: string, key: string, body?: unknown) =>
      call(t.baseUrl, 'POST', `/v1/agents/${id}/versions/${version}/restore`, { tenant, body, headers: { 'idempotency-key': key } });

    it('replays the restore and records one new version; another body with the key is a 422', async () => {
      expect((await post(agentBody({ id: 'restorable', name: 'First name' }), undefined)).status).toBe(201);
      expect((await call(t.baseUrl, 'PATCH', '/v1/agents/restorable', { tenant, body: { name: 'Second name' } })).status).toBe(200);
      const key = newKey();

      const first = await restore('restorable', '1.0.0', key);
      const retry = await restore('restorable', '1.0.0', key);

      expect(first.status).toBe(201);
      expect(replayed(first)).toBeNull();
      expect(first.body.agent).toMatchObject({ id: 'restorable', name: 'First name', version: '1.0.2' });
      expect(first.headers.get('location')).toBe('/v1/agents/restorable/versions/1.0.2');
      expect(retry.status).toBe(201);
      expect(replayed(retry)).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(await versionNumbers('restorable')).toEqual(['1.0.0', '1.0.1', '1.0.2']);

      const reused = await restore('restorable', '1.0.0', key, { version: '2.0.0' });
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ detail: expect.any(String), code: 'idempotency_key_reused' });
      expect(await versionNumbers('restorable')).toEqual(['1.0.0', '1.0.1', '1.0.2']);
    });

    it('replays a refused restore (404 of an unknown version)', async () => {
      expect((await post(agentBody({ id: 'restore-refused' }), undefined)).status).toBe(201);
      const key = newKey();

      const first = await restore('restore-refused', '9.9.9', key);
      const retry = await restore('restore-refused', '9.9.9', key);

      expect(first.status).toBe(404);
      expect(first.body.code).toBe('version_not_found');
      expect([retry.status, replayed(retry)]).toEqual([404, 'true']);
      expect(retry.body).toEqual(first.body);
    });
  });

  it('holds across a restart: a key used on one instance is replayed by another on the same database', async () => {
    const database = await createTestDatabase();
    let a: TestApp | undefined;
    let b: TestApp | undefined;
    try {
      a = await startTestApp({}, { databaseUrl: database.url });
      const shared = await a.tenants.create();
      const key = newKey();
      const body = agentBody({ name: 'Across instances' });
      const first = await post(body, key, shared, a);
      expect(first.status).toBe(201);
      await a.close();
      a = undefined;

      b = await startTestApp({}, { databaseUrl: database.url });
      const retry = await post(body, key, shared, b);
      const reused = await post(agentBody({ name: 'Another body' }), key, shared, b);

      expect([retry.status, replayed(retry)]).toEqual([201, 'true']);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
      const [{ count }] = await b.dataSource.query('SELECT count(*) FROM agents WHERE project_id = $1', [shared.projectId]);
      expect(Number(count)).toBe(1);
    } finally {
      await a?.close();
      await b?.close();
      await database.drop();
    }
  });

  describe('expiry', () => {
    const expire = (key: string) => t.dataSource.query("UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE key = $1", [key]);

    it('runs a request anew once its key has expired, and keeps the new answer', async () => {
      const key = newKey();
      const body = agentBody({ name: 'Expired key' });
      const first = await post(body, key);
      expect(first.status).toBe(201);
      await expire(key);

      const again = await post(body, key);
      const retry = await post(body, key);

      expect(again.status).toBe(201);
      expect(replayed(again)).toBeNull();
      expect(again.body.agent.id).not.toBe(first.body.agent.id);
      expect([retry.status, replayed(retry)]).toEqual([201, 'true']);
      expect(retry.body).toEqual(again.body);
      expect((await agentsNamed('Expired key')).sort()).toEqual([first.body.agent.id, again.body.agent.id].sort());
      const rows = await storedKeys(key);
      expect(rows).toHaveLength(1);
      expect(rows[0].expires_at.getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
    });

    it('lets another body use an expired key', async () => {
      const key = newKey();
      expect((await post(agentBody({ name: 'Before expiry' }), key)).status).toBe(201);
      await expire(key);

      const other = await post(agentBody({ name: 'After expiry' }), key);

      expect([other.status, replayed(other)]).toEqual([201, null]);
      expect(await agentsNamed('After expiry')).toEqual([other.body.agent.id]);
    });

    it('deletes the expired keys, and only them, when the janitor sweeps', async () => {
      const expiring = newKey();
      const live = newKey();
      expect((await post(agentBody({ name: 'Swept' }), expiring)).status).toBe(201);
      expect((await post(agentBody({ name: 'Not swept' }), live)).status).toBe(201);
      await expire(expiring);
      const total = Number((await t.dataSource.query('SELECT count(*) FROM idempotency_keys'))[0].count);

      const deleted = await t.app.get(IdempotencyStore).deleteExpired();

      expect(deleted).toBe(1);
      expect(await storedKeys(expiring)).toEqual([]);
      expect(await storedKeys(live)).toHaveLength(1);
      expect(Number((await t.dataSource.query('SELECT count(*) FROM idempotency_keys'))[0].count)).toBe(total - 1);
      expect(await t.app.get(IdempotencyStore).deleteExpired()).toBe(0);
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
