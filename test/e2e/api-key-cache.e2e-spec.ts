import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ApiKeyCache } from '../../src/modules/auth/api-key-cache.js';
import { call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

// The built CLI (npm test builds it first), run as the operator runs it.
const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

function cli(databaseUrl: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`cli ${args.join(' ')}: ${stderr}`)) : resolve(),
    );
  });
}

/** Polls `check` until it holds, for at most `ms`; resolves to how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

/** Two instances on one database, each with its key cache: what one changes, every one sees within a second. */
describe('the API key cache', () => {
  let first: TestApp;
  let second: TestApp;
  const instances = () => [first, second];
  const cacheOf = (t: TestApp) => t.app.get(ApiKeyCache);
  const status = async (t: TestApp, tenant: Tenant, path = '/v1/agents') => (await call(t.baseUrl, 'GET', path, { tenant })).status;
  const listening = () => within(5_000, async () => instances().every((t) => cacheOf(t).active));

  beforeAll(async () => {
    first = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    second = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' }, { databaseUrl: first.databaseUrl });
    await listening();
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('answers a known key from memory: what the database says meanwhile, unnotified, is not read', async () => {
    const tenant = await first.tenants.create();
    expect(await status(first, tenant)).toBe(200);
    expect(cacheOf(first).size).toBeGreaterThanOrEqual(1);
    // A change no trigger reports (as if a notification were lost): the cached caller still acts.
    await first.dataSource.query('ALTER TABLE api_keys DISABLE TRIGGER api_keys_changed');
    try {
      await first.dataSource.query(`UPDATE api_keys SET user_id = 'usr_unheard' WHERE id = $1`, [tenant.keyId]);
      const created = await call(first.baseUrl, 'POST', '/v1/agents', { tenant, body: { name: 'Cached', model: 'claude-sonnet-4-5' } });
      expect(created.body.agent.userId).toBe(tenant.userId);
    } finally {
      await first.dataSource.query('ALTER TABLE api_keys ENABLE TRIGGER api_keys_changed');
    }
    // The same change, heard: read again at once.
    await first.dataSource.query(`UPDATE api_keys SET user_id = 'usr_heard' WHERE id = $1`, [tenant.keyId]);
    await within(1_000, async () => {
      const created = await call(first.baseUrl, 'POST', '/v1/agents', { tenant, body: { name: 'Fresh', model: 'claude-sonnet-4-5' } });
      return created.body.agent.userId === 'usr_heard';
    });
  });

  it('refuses a key the CLI revoked on every instance within one second', async () => {
    const tenant = await first.tenants.create();
    for (const t of instances()) expect(await status(t, tenant)).toBe(200);
    await cli(first.databaseUrl, 'api-keys', 'revoke', '--id', tenant.keyId);
    const took = await within(1_000, async () => (await Promise.all(instances().map((t) => status(t, tenant)))).every((code) => code === 401));
    expect(took).toBeLessThan(1_000);
  });

  it('sees a tier the CLI changed on every instance within one second', async () => {
    const tenant = await first.tenants.create({ tier: 'free' });
    const tierOn = async (t: TestApp) => (await call(t.baseUrl, 'GET', '/v1/agents/models', { tenant })).body.tier;
    for (const t of instances()) expect(await tierOn(t)).toBe('free');
    await cli(first.databaseUrl, 'workspaces', 'set-tier', '--workspace', tenant.workspaceId, '--tier', 'enterprise');
    await within(1_000, async () => (await Promise.all(instances().map(tierOn))).every((tier) => tier === 'enterprise'));
  });

  it('keeps no entry for a token that matches no key, however many are tried', async () => {
    const size = cacheOf(first).size;
    for (let n = 0; n < 200; n++) {
      const answer = await call(first.baseUrl, 'GET', '/v1/agents', { headers: { authorization: `Bearer agk_${randomBytes(32).toString('base64url')}` } });
      expect(answer.status).toBe(401);
    }
    expect(cacheOf(first).size).toBe(size);
  });

  it('is emptied and bypassed while its listener is away, so a change made then is seen at once, and is used again once it is back', async () => {
    const tenant = await first.tenants.create();
    expect(await status(first, tenant)).toBe(200);
    await first.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'agents-api-key-listener' AND datname = current_database()`);
    await within(2_000, async () => !cacheOf(first).active);
    expect(cacheOf(first).size).toBe(0);
    // A revocation whose notification nobody heard: refused all the same.
    await first.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [tenant.keyId]);
    expect(await status(first, tenant)).toBe(401);
    await listening();
    const other = await first.tenants.create();
    expect(await status(first, other)).toBe(200);
    expect(cacheOf(first).size).toBeGreaterThanOrEqual(1);
  });

  it('still refuses a key once it expires, cached or not', async () => {
    const tenant = await first.tenants.create({ expiresAt: new Date(Date.now() + 1_500) });
    expect(await status(first, tenant)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await status(first, tenant)).toBe(401);
  });
});
