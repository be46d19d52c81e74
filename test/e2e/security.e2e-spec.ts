import { STATUS_CODES } from 'node:http';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { KeyUsageRecorder } from '../../src/modules/auth/key-usage-recorder.js';
import { agentBody, call, type HttpAnswer } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TenantFactory, type Tenant } from '../support/tenants.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// What a leaked stack trace or statement would look like in a body.
const LEAK = /\bat \S+ \(|\.(ts|js):\d+|node_modules|QueryFailedError|\bSELECT\b|\bINSERT\b|\bUPDATE\b|\bDELETE FROM\b|\bFROM agents\b|\bsyntax error\b/i;

function expectHelmetHeaders(answer: HttpAnswer): void {
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(answer.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
  expect(answer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  // Plain HTTP on a dev box's name must still load /docs: its scripts must not be sent to https.
  expect(answer.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  expect(answer.headers.get('x-powered-by')).toBeNull();
}

function expectPlainError(answer: HttpAnswer, status: number, code: string): void {
  expect([answer.status, answer.body?.code]).toEqual([status, code]);
  expect(Object.keys(answer.body).sort()).toEqual(['code', 'detail', 'error', 'message']);
  expect(typeof answer.body.detail).toBe('string');
  expect([answer.body.error, answer.body.message]).toEqual([STATUS_CODES[status], answer.body.detail]);
  expect(answer.body.detail).not.toMatch(LEAK);
  expect(answer.body.detail).not.toContain('\n');
}

describe('Security', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'free' });
  });
  afterAll(() => t.close());

  describe('security headers (helmet)', () => {
    it('are on API answers, successful or not, and on the health routes', async () => {
      const answers = {
        list: await call(t.baseUrl, 'GET', '/v1/agents', { tenant }),
        created: await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody() }),
        unauthorized: await call(t.baseUrl, 'GET', '/v1/agents'),
        notFound: await call(t.baseUrl, 'GET', '/v1/agents/nobody', { tenant }),
        unknownRoute: await call(t.baseUrl, 'GET', '/nowhere'),
        live: await call(t.baseUrl, 'GET', '/health/live'),
      };

      expect(Object.values(answers).map((answer) => answer.status)).toEqual([200, 201, 401, 404, 404, 200]);
      for (const answer of Object.values(answers)) expectHelmetHeaders(answer);
    });
  });

  describe('CORS', () => {
    const preflight = (app: TestApp, origin: string) =>
      call(app.baseUrl, 'OPTIONS', '/v1/agents', {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });

    it('is closed by default: no CORS header on an answer to another origin, nor on a preflight', async () => {
      const simple = await call(t.baseUrl, 'GET', '/v1/agents', { tenant, headers: { origin: 'https://app.example.com' } });
      const options = await preflight(t, 'https://app.example.com');

      expect(simple.status).toBe(200);
      for (const answer of [simple, options]) {
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
        expect(answer.headers.get('access-control-allow-methods')).toBeNull();
        expect(answer.headers.get('access-control-allow-headers')).toBeNull();
        expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
      }
      expect(options.status).toBe(404);
    });

    describe('with CORS_ORIGINS', () => {
      let cors: TestApp;
      let corsTenant: Tenant;

      beforeAll(async () => {
        cors = await startTestApp({ CORS_ORIGINS: 'https://app.example.com, https://admin.example.com' });
        corsTenant = await cors.tenants.create();
      });
      afterAll(() => cors.close());

      it('answers the preflight of an allowed origin', async () => {
        const answer = await preflight(cors, 'https://admin.example.com');

        expect(answer.status).toBe(204);
        expect(answer.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
        expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
        expect(answer.headers.get('access-control-allow-headers')).toBe('authorization,content-type,idempotency-key');
        expect(answer.headers.get('access-control-max-age')).toBe('600');
        expect(answer.headers.get('vary')).toContain('Origin');
      });

      it('lets an allowed origin read the answer and its headers', async () => {
        const answer = await call(cors.baseUrl, 'GET', '/v1/agents', { tenant: corsTenant, headers: { origin: 'https://app.example.com' } });

        expect(answer.status).toBe(200);
        expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
        expect(answer.headers.get('vary')).toContain('Origin');
        const exposed = (answer.headers.get('access-control-expose-headers') ?? '').split(',').map((name) => name.trim());
        expect(exposed).toEqual(expect.arrayContaining(['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed', 'RateLimit-Remaining']));
      });

      it('gives a foreign origin no CORS header', async () => {
        const options = await preflight(cors, 'https://evil.example.com');
        const simple = await call(cors.baseUrl, 'GET', '/v1/agents', { tenant: corsTenant, headers: { origin: 'https://evil.example.com' } });

        for (const answer of [options, simple]) {
          expect(answer.headers.get('access-control-allow-origin')).toBeNull();
          expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
        }
        expect(simple.status).toBe(200);
      });

      it('matches origins exactly, not by prefix', async () => {
        const answer = await preflight(cors, 'https://app.example.com.evil.example');
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      });
    });
  });

  describe('API docs', () => {
    it('are served by default', async () => {
      const document = await call(t.baseUrl, 'GET', '/openapi.json');
      const ui = await call(t.baseUrl, 'GET', '/docs');

      expect(document.status).toBe(200);
      expect(document.body.openapi).toMatch(/^3\./);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toContain('text/html');
    });

    it('are off with DOCS_ENABLED=false: /docs and /openapi.json are 404', async () => {
      const closed = await startTestApp({ DOCS_ENABLED: 'false' });
      try {
        for (const path of ['/docs', '/docs/', '/openapi.json', '/openapi.yaml']) {
          const answer = await call(closed.baseUrl, 'GET', path);
          expect([path, answer.status]).toEqual([path, 404]);
          expect(answer.body).toMatchObject({ detail: 'Not found', code: 'not_found' });
        }
        expect((await call(closed.baseUrl, 'GET', '/health/live')).status).toBe(200);
      } finally {
        await closed.close();
      }
    });
  });

  describe('X-Request-Id', () => {
    const withId = (id?: string) => call(t.baseUrl, 'GET', '/v1/agents', { tenant, headers: id === undefined ? {} : { 'x-request-id': id } });

    it('echoes a safe id the caller sent, on successes and errors alike', async () => {
      const ok = await withId('req-42_a.b:c');
      const refused = await call(t.baseUrl, 'GET', '/v1/agents', { headers: { 'x-request-id': 'refused-1' } });

      expect([ok.status, ok.headers.get('x-request-id')]).toEqual([200, 'req-42_a.b:c']);
      expect([refused.status, refused.headers.get('x-request-id')]).toEqual([401, 'refused-1']);
    });

    it('generates a UUID when there is none, a new one for each request', async () => {
      const first = (await withId()).headers.get('x-request-id');
      const second = (await withId()).headers.get('x-request-id');

      expect(first).toMatch(UUID);
      expect(second).toMatch(UUID);
      expect(second).not.toBe(first);
    });

    it.each([
      ['spaces', 'has some spaces'],
      ['200 characters', 'r'.repeat(200)],
      ['a quote and angle brackets', '"><script>'],
      ['an empty value', ''],
    ])('replaces an unsafe id (%s) with a UUID', async (_, id) => {
      const answer = await withId(id);

      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-request-id')).toMatch(UUID);
    });

    it('accepts 128 characters', async () => {
      const id = 'i'.repeat(128);
      expect((await withId(id)).headers.get('x-request-id')).toBe(id);
    });
  });

  describe('error bodies', () => {
    it('are exactly {detail, code}, without stack trace or SQL, for every 4xx but 422', async () => {
      const readOnly = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:read'] });
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id: 'existing' }) })).status).toBe(201);
      const json = { 'content-type': 'application/json' };
      const cases: [HttpAnswer, number, string][] = [
        [await call(t.baseUrl, 'POST', '/v1/agents', { tenant, raw: '{"name": "x", ', headers: json }), 400, 'malformed_json'],
        [await call(t.baseUrl, 'POST', '/v1/agents', { tenant, raw: "{'name': 'SELECT 1'}", headers: json }), 400, 'malformed_json'],
        [await call(t.baseUrl, 'GET', '/v1/agents', { headers: { authorization: `Bearer ${tenant.token}x` } }), 401, 'unauthorized'],
        [await call(t.baseUrl, 'POST', '/v1/agents', { tenant: readOnly, body: agentBody() }), 403, 'insufficient_scope'],
        [await call(t.baseUrl, 'GET', "/v1/agents/x'%20OR%201=1--", { tenant }), 404, 'agent_not_found'],
        [await call(t.baseUrl, 'GET', '/v1/agents/existing/versions/9.9.9', { tenant }), 404, 'version_not_found'],
        [await call(t.baseUrl, 'GET', '/v1/nothing/here', { tenant }), 404, 'not_found'],
        [await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id: 'existing' }) }), 409, 'agent_id_conflict'],
        [await call(t.baseUrl, 'PATCH', '/v1/agents/existing', { tenant, body: { name: 'x' }, headers: { 'if-match': '"stale-1"' } }), 412, 'precondition_failed'],
        [await call(t.baseUrl, 'POST', '/v1/agents', { tenant, raw: JSON.stringify({ name: 'x'.repeat(1_100_000) }), headers: json }), 413, 'body_too_large'],
        [await call(t.baseUrl, 'POST', '/v1/agents', { tenant, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type'],
      ];

      for (const [answer, status, code] of cases) {
        expectPlainError(answer, status, code);
        expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      }
      // The key a caller sent is not echoed back.
      expect(JSON.stringify(cases[2][0].body)).not.toContain(tenant.token);
    });

    it('hide the cause of an unexpected failure (a broken schema): a 500 with an incident id only', async () => {
      const broken = await startTestApp();
      try {
        const owner = await broken.tenants.create();
        await broken.dataSource.query('ALTER TABLE agent_versions RENAME COLUMN configuration TO configuration_gone');

        const answer = await call(broken.baseUrl, 'POST', '/v1/agents', { tenant: owner, body: agentBody() });

        expect(answer.status).toBe(500);
        expect(answer.body).toMatchObject({
          detail: expect.stringMatching(/^Internal server error \(incident [0-9a-f-]{36}\)$/),
          code: 'internal_error',
        });
        expect(JSON.stringify(answer.body)).not.toMatch(/configuration|agent_versions|column/);
      } finally {
        await broken.close();
      }
    });
  });

  describe('stopping', () => {
    it('answers the request in flight with Connection: close, so that the server closes at once', async () => {
      const stopping = await startTestApp();
      const owner = await stopping.tenants.create();
      const blocker = stopping.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      let inFlight: Promise<HttpAnswer>;
      let closed: Promise<void>;
      try {
        await blocker.query('LOCK TABLE agents IN SHARE MODE');
        inFlight = call(stopping.baseUrl, 'POST', '/v1/agents', { tenant: owner, body: agentBody({ id: 'answered-while-closing' }) });
        inFlight.catch(() => undefined); // awaited below
        await waitFor(async () => Number((await stopping.dataSource.query(
          "SELECT count(*) FROM pg_locks WHERE relation = 'agents'::regclass AND NOT granted",
        ))[0].count) === 1);
        // What main.ts does first on SIGTERM.
        closed = stopping.app.getHttpAdapter().getInstance().close();
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        await blocker.commitTransaction();
        await blocker.release();
      }
      try {
        const answer = await inFlight!;
        const started = Date.now();
        await closed!;

        expect(answer.status).toBe(201);
        expect(answer.headers.get('connection')).toBe('close');
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await stopping.close();
      }
    });
  });

  describe('API keys', () => {
    const lastUsedAt = async (key: Tenant): Promise<Date | null> =>
      (await t.dataSource.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.keyId]))[0].last_used_at;

    it('track last_used_at in memory and write it in batches, not on every request', async () => {
      const key = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId });
      const recorder = t.app.get(KeyUsageRecorder);
      expect(await lastUsedAt(key)).toBeNull();

      const before = new Date();
      for (let i = 0; i < 3; i++) expect((await call(t.baseUrl, 'GET', '/v1/agents', { tenant: key })).status).toBe(200);
      expect(await lastUsedAt(key)).toBeNull();

      await recorder.flush();
      const first = await lastUsedAt(key);
      expect(first).toBeInstanceOf(Date);
      expect(first!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
      expect(first!.getTime()).toBeLessThanOrEqual(Date.now());

      await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await call(t.baseUrl, 'GET', '/v1/agents', { tenant: key })).status).toBe(200);
      expect(await lastUsedAt(key)).toEqual(first);
      await recorder.flush();
      expect((await lastUsedAt(key))!.getTime()).toBeGreaterThan(first!.getTime());
    });

    it('do not count a refused key as used', async () => {
      const key = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, expiresAt: new Date(Date.now() - 1_000) });
      expect((await call(t.baseUrl, 'GET', '/v1/agents', { tenant: key })).status).toBe(401);
      await t.app.get(KeyUsageRecorder).flush();
      expect(await lastUsedAt(key)).toBeNull();
    });

    it('may expire: an expired key is a 401, one expiring later works', async () => {
      const expired = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, expiresAt: new Date(Date.now() - 1_000) });
      const later = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, expiresAt: new Date(Date.now() + 3_600_000) });

      const refused = await call(t.baseUrl, 'GET', '/v1/agents', { tenant: expired });
      const accepted = await call(t.baseUrl, 'GET', '/v1/agents', { tenant: later });

      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ detail: 'Expired API key', code: 'unauthorized' });
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(accepted.status).toBe(200);
    });
  });

  describe('the built server (node dist/src/main.js)', () => {
    let database: TestDatabase;
    let dataSource: DataSource;
    let key: Tenant;

    beforeAll(async () => {
      database = await createTestDatabase();
      dataSource = await new DataSource(dataSourceOptions({ url: database.url, poolSize: 2, statementTimeoutMs: 5_000 })).initialize();
      // A key first: on an empty database the server would create a development key and print it.
      key = await new TenantFactory(dataSource).create();
    });
    afterAll(async () => {
      await dataSource.destroy();
      await database.drop();
    });

    it('logs JSON lines, the request id in every line of a request, and never an API key; SIGTERM exits 0', async () => {
      const forged = 'agk_forged0000000000000000000000000000000000';
      const server = await runServer(database.url);
      let generated: string;
      try {
        const created = await call(server.baseUrl, 'POST', '/v1/agents', {
          body: agentBody(), headers: { authorization: `Bearer ${key.token}`, 'x-request-id': 'test-req-1' },
        });
        const listed = await call(server.baseUrl, 'GET', '/v1/agents', { headers: { 'x-api-key': key.token, 'x-request-id': 'test-req-2' } });
        const refused = await call(server.baseUrl, 'GET', '/v1/agents', { headers: { authorization: `Bearer ${forged}`, 'x-request-id': 'test-req-3' } });
        const anonymous = await call(server.baseUrl, 'GET', '/health/live');
        expect([created.status, listed.status, refused.status, anonymous.status]).toEqual([201, 200, 401, 200]);
        expect(created.headers.get('x-request-id')).toBe('test-req-1');
        generated = anonymous.headers.get('x-request-id')!;
        expect(generated).toMatch(UUID);
      } finally {
        await server.stop();
      }
      const { code, stdout, stderr } = await server.exited;

      const lines = stdout.split('\n').filter((line) => line.trim() !== '');
      expect(lines.length).toBeGreaterThanOrEqual(5);
      const records = lines.map((line) => {
        try {
          return JSON.parse(line) as Record<string, any>;
        } catch {
          throw new Error(`not a JSON line: ${line}`);
        }
      });
      for (const record of records) {
        expect(typeof record.level).toBe('number');
        expect(typeof record.time).toBe('number');
        expect(typeof record.msg).toBe('string');
      }
      const linesOf = (id: string) => records.filter((record) => JSON.stringify(record).includes(id));
      const requests = [
        ['test-req-1', 'POST', '/v1/agents', 201],
        ['test-req-2', 'GET', '/v1/agents', 200],
        ['test-req-3', 'GET', '/v1/agents', 401],
        [generated, 'GET', '/health/live', 200],
      ] as const;
      for (const [id, method, url, statusCode] of requests) {
        const mine = linesOf(id);
        expect(mine.length).toBeGreaterThanOrEqual(1);
        for (const record of mine) expect([id, record.requestId]).toEqual([id, id]);
        const completed = mine.filter((record) => record.msg === 'request completed');
        expect(completed).toHaveLength(1);
        expect(completed[0].req).toEqual({ id, method, url });
        expect(completed[0].res).toEqual({ statusCode });
      }
      expect(linesOf('test-req-3').map((record) => record.level)).toEqual([40]);
      // Every line about a request names it.
      for (const record of records.filter((r) => r.req !== undefined)) expect(record.requestId).toBe(record.req.id);
      expect(records.map((record) => record.msg)).toContain('SIGTERM: finishing the requests in flight, then stopping');

      const output = stdout + stderr;
      expect(output).not.toContain(key.token);
      expect(output).not.toContain(key.token.slice(4, 24));
      expect(output).not.toContain(forged);
      expect(output.toLowerCase()).not.toContain('bearer agk_');
      expect(output.toLowerCase()).not.toContain('authorization');
      expect(code).toBe(0);
    }, 30_000);

    it('on SIGTERM finishes the request in flight, writes the key uses and exits 0', async () => {
      const tenant = await new TenantFactory(dataSource).create({ workspaceId: key.workspaceId, projectId: key.projectId });
      const server = await runServer(database.url);
      // Hold a create inside its work: its INSERT waits for this transaction's table lock.
      const blocker = dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      let inFlight: Promise<HttpAnswer>;
      try {
        await blocker.query('LOCK TABLE agents IN SHARE MODE');
        inFlight = call(server.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id: 'in-flight-at-sigterm' }) });
        inFlight.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
        await waitFor(async () => Number((await dataSource.query(
          "SELECT count(*) FROM pg_locks WHERE relation = 'agents'::regclass AND NOT granted",
        ))[0].count) === 1);
        await server.stop();
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        await blocker.commitTransaction();
        await blocker.release();
      }

      const answer = await inFlight!;
      const { code } = await server.exited;

      expect(answer.status).toBe(201);
      expect(answer.body.agent.id).toBe('in-flight-at-sigterm');
      expect(code).toBe(0);
      const [{ last_used_at: lastUsed }] = await dataSource.query('SELECT last_used_at FROM api_keys WHERE id = $1', [tenant.keyId]);
      expect(lastUsed).toBeInstanceOf(Date);
    }, 30_000);
  });
});

interface RunningServer {
  readonly baseUrl: string;
  /** Sends SIGTERM. */
  stop(): Promise<void>;
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The built server as a child process, on the given database and a free port, logging at info. */
async function runServer(databaseUrl: string): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', METRICS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health/live`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start:\n${stdout}${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    stop: async () => {
      child.kill('SIGTERM');
    },
    exited,
  };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
