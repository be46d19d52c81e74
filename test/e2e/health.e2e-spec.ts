import pg from 'pg';
import { call } from '../support/http.js';
import { Draining } from '../../src/modules/health/draining.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const UP = { status: 'up' };
// The ping's time, in ms.
const DATABASE_UP = { status: 'up', responseTime: expect.any(Number) };

describe('Health', () => {
  describe('on a healthy service', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('GET /health/live is 200 without a key', async () => {
      const answer = await call(t.baseUrl, 'GET', '/health/live');

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'ok' });
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });

    it('GET /health/ready is 200 without a key and reports the database and the migrations up', async () => {
      const answer = await call(t.baseUrl, 'GET', '/health/ready');

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        status: 'ok',
        info: { database: DATABASE_UP, migrations: UP },
        error: {},
        details: { database: DATABASE_UP, migrations: UP },
      });
      expect(answer.headers.get('retry-after')).toBeNull();
    });

    it('ignores a key, even a bad one', async () => {
      const headers = { authorization: 'Bearer agk_forged0000000000000000000000000000000000' };
      const live = await call(t.baseUrl, 'GET', '/health/live', { headers });
      const ready = await call(t.baseUrl, 'GET', '/health/ready', { headers });

      expect([live.status, ready.status]).toEqual([200, 200]);
      expect(live.headers.get('www-authenticate')).toBeNull();
    });

    it('lives outside /v1', async () => {
      for (const path of ['/v1/health/live', '/v1/health/ready']) {
        const answer = await call(t.baseUrl, 'GET', path);
        expect([path, answer.status]).toEqual([path, 404]);
        expect(answer.body).toMatchObject({ detail: 'Not found', code: 'not_found' });
      }
    });
  });

  describe('readiness', () => {
    it('is 503 with Retry-After while the instance drains after SIGTERM, which still serves', async () => {
      const t = await startTestApp();
      try {
        const tenant = await t.tenants.create();
        t.app.get(Draining).begin();
        const ready = await call(t.baseUrl, 'GET', '/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.headers.get('retry-after')).toBe('5');
        expect(ready.body).toMatchObject({ status: 'error', error: { shutdown: { status: 'down' } } });
        expect((await call(t.baseUrl, 'GET', '/health/live')).status).toBe(200);
        expect((await call(t.baseUrl, 'GET', '/v1/agents', { tenant })).status).toBe(200);
      } finally {
        await t.close();
      }
    });

    it('is 503 with Retry-After while a migration is pending, and 200 again once it is applied', async () => {
      const t = await startTestApp();
      try {
        const [latest] = await t.dataSource.query('SELECT id, timestamp, name FROM schema_migrations ORDER BY timestamp DESC LIMIT 1');
        await t.dataSource.query('DELETE FROM schema_migrations WHERE id = $1', [latest.id]);

        const pending = await call(t.baseUrl, 'GET', '/health/ready');

        expect(pending.status).toBe(503);
        expect(pending.headers.get('retry-after')).toBe('5');
        expect(pending.body).toEqual({
          status: 'error',
          info: { database: DATABASE_UP },
          error: { migrations: { status: 'down', message: 'migrations are pending' } },
          details: { database: DATABASE_UP, migrations: { status: 'down', message: 'migrations are pending' } },
        });
        expect((await call(t.baseUrl, 'GET', '/health/live')).status).toBe(200);

        await t.dataSource.query('INSERT INTO schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)', [latest.id, latest.timestamp, latest.name]);
        const ready = await call(t.baseUrl, 'GET', '/health/ready');
        expect(ready.status).toBe(200);
        expect(ready.body.status).toBe('ok');
      } finally {
        await t.close();
      }
    });

    it('is 503 with Retry-After when the database is gone, while liveness stays 200', async () => {
      const t = await startTestApp();
      try {
        expect((await call(t.baseUrl, 'GET', '/health/ready')).status).toBe(200);
        await dropDatabaseOf(t);

        const started = Date.now();
        const answer = await call(t.baseUrl, 'GET', '/health/ready');

        expect(Date.now() - started).toBeLessThan(5_000);
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(answer.body.status).toBe('error');
        expect(answer.body.error.database).toEqual({ status: 'down', message: 'the database does not answer' });
        expect(JSON.stringify(answer.body)).not.toContain('agents_test_');
        expect(answer.body.error.migrations).toEqual({ status: 'down', message: 'could not read the migrations table' });
        expect(answer.body.info).toEqual({});
        expect(JSON.stringify(answer.body)).not.toMatch(/SELECT|at .+\.js:\d+/);

        const live = await call(t.baseUrl, 'GET', '/health/live');
        expect(live.status).toBe(200);
        expect(live.body).toEqual({ status: 'ok' });
      } finally {
        await t.close();
      }
    });
  });
});

/** Drops the app's database under it (closing its connections), as if the database went away. */
async function dropDatabaseOf(t: TestApp): Promise<void> {
  const name = new URL(t.databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
