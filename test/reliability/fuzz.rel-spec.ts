import fc from 'fast-check';
import {
  createRequests, deleteRequests, describeRequest, readRequests, restoreRequests, strayRequests, updateRequests,
  type FuzzContext, type FuzzRequest,
} from './support/bad-requests.js';
import { send } from './support/http.js';
import { Tally } from './support/tally.js';
import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

// Property-based fuzz of every route: generated bad requests (wrong types, huge and deep values,
// prototype keys, NUL and lone surrogates, odd unicode, invalid JSON, wrong content types, forged
// and other tenants' keys, bad path parameters and query strings). None may get a 5xx or go
// unanswered; none to a route that writes may get a 2xx (each is refused by construction); every
// refusal is in the contract's error shape; and no refused request changes a row.

// FUZZ_SEED=<n> replays a run (fast-check prints the seed of a failing one).
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const RUNS = { create: 700, update: 400, delete: 200, restore: 250, read: 700, stray: 150 } as const;
const MINIMUM_REQUESTS = 2_000;

const TIMEOUT_MS = 120_000;

describe('fuzz: bad requests on every route', () => {
  const tally = new Tally('fuzz');
  const acceptedWrites: string[] = [];
  const statuses = new Map<string, number>();
  let t: TestApp;
  let a: Tenant;
  let ctx: FuzzContext;
  let before: Map<string, string>;

  beforeAll(async () => {
    // No rate limit: thousands of requests come with the same few keys.
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    a = await t.tenants.create({ tier: 'team', providers: [{ type: 'openai', models: ['gpt-4o'] }] });
    const readOnly = await t.tenants.create({ workspaceId: a.workspaceId, projectId: a.projectId, scopes: ['agents:read'] });
    const b = await t.tenants.create({ tier: 'free' });
    const revoked = await t.tenants.create({ workspaceId: a.workspaceId, projectId: a.projectId });
    await t.tenants.revoke(revoked);
    const expired = await t.tenants.create({ workspaceId: a.workspaceId, projectId: a.projectId, expiresAt: new Date(Date.now() - 60_000) });

    const seed = async (tenant: Tenant, method: string, path: string, body?: unknown) => {
      const answer = await call(t.baseUrl, method, path, { tenant, body });
      if (answer.status >= 300) throw new Error(`seeding ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    };
    const agentIds = ['seed-0', 'seed-1', 'seed-2', 'seed-3', 'seed-4'];
    for (const id of agentIds) await seed(a, 'POST', '/v1/agents', agentBody({ id, metadata: { team: 'a', id } }));
    await seed(a, 'PATCH', '/v1/agents/seed-0', { description: 'second' });
    await seed(a, 'PATCH', '/v1/agents/seed-0', { description: 'third' });
    const deletedIds = ['gone-0', 'gone-1'];
    for (const id of deletedIds) {
      await seed(a, 'POST', '/v1/agents', agentBody({ id }));
      await seed(a, 'DELETE', `/v1/agents/${id}`);
    }
    await seed(b, 'POST', '/v1/agents', agentBody({ id: 'b-only-0' }));

    ctx = {
      token: a.token, readOnlyToken: readOnly.token, otherTenantToken: b.token, revokedToken: revoked.token, expiredToken: expired.token,
      agentIds, deletedIds, userId: a.userId,
    };
    before = await snapshotRows();
  }, TIMEOUT_MS);

  afterAll(async () => {
    tally.save();
    await t?.close();
  });

  /** Every row of agents and agent_versions, as a hash of its content under its key. */
  async function snapshotRows(): Promise<Map<string, string>> {
    const rows: { key: string; hash: string }[] = await t.dataSource.query(`
      SELECT 'agent ' || project_id || '/' || id AS key, md5(a::text) AS hash FROM agents a
      UNION ALL
      SELECT 'version ' || project_id || '/' || agent_id || '#' || number, md5(v::text) FROM agent_versions v`);
    return new Map(rows.map((row) => [row.key, row.hash]));
  }

  /** One generated request, and what its answer must be. */
  async function probe(request: FuzzRequest): Promise<void> {
    const answer = await send(tally, t.baseUrl, request);
    const status = String(answer.status ?? 'none');
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const what = () => `${describeRequest(request)}\n  -> ${answer.status ?? answer.error} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
    if (answer.status === null) throw new Error(`no answer: ${what()}`);
    if (answer.status >= 500) throw new Error(`a 5xx: ${what()}`);
    if (request.write && answer.status < 300) {
      acceptedWrites.push(what());
      throw new Error(`a refused write was accepted: ${what()}`);
    }
    // Node itself answers 431 (headers over 16 kB) before the service sees the request; HEAD has no body.
    if (answer.status >= 400 && answer.status !== 431 && request.method !== 'HEAD') {
      const body = answer.body as { detail?: unknown; code?: unknown } | null;
      const shaped = body !== null && typeof body === 'object' && (Array.isArray(body.detail) || (typeof body.detail === 'string' && typeof body.code === 'string'));
      if (!shaped) throw new Error(`an error not in the contract's shape: ${what()}`);
      if (answer.status === 401 && answer.headers?.get('www-authenticate') !== 'Bearer') throw new Error(`a 401 without WWW-Authenticate: Bearer: ${what()}`);
    }
  }

  const routes: [string, keyof typeof RUNS, (context: FuzzContext) => fc.Arbitrary<FuzzRequest>][] = [
    ['POST /v1/agents', 'create', createRequests],
    ['PATCH /v1/agents/{id}', 'update', updateRequests],
    ['DELETE /v1/agents/{id}', 'delete', deleteRequests],
    ['POST /v1/agents/{id}/versions/{version}/restore', 'restore', restoreRequests],
    ['GET /v1/agents, /{id}, /{id}/versions, /{id}/versions/{version}, /models', 'read', readRequests],
    ['wrong methods and unknown paths', 'stray', strayRequests],
  ];

  it.each(routes)('%s: no 5xx, no hang, no accepted write, errors in the contract shape', async (_, runs, requests) => {
    await fc.assert(fc.asyncProperty(requests(ctx), probe), { numRuns: RUNS[runs], seed: SEED });
  }, TIMEOUT_MS);

  it(`sent at least ${MINIMUM_REQUESTS} bad requests, none answered 5xx`, () => {
    expect(tally.requests).toBeGreaterThanOrEqual(MINIMUM_REQUESTS);
    expect({ '5xx': tally.count('5xx'), network: tally.count('network') }).toEqual({ '5xx': 0, network: 0 });
    expect(acceptedWrites).toEqual([]);
  });

  it('changed no row of agents or agent_versions for a refused request', async () => {
    const after = await snapshotRows();
    const changed: string[] = [];
    for (const [key, hash] of after) if (before.get(key) !== hash) changed.push(before.has(key) ? `changed ${key}` : `added ${key}`);
    for (const key of before.keys()) if (!after.has(key)) changed.push(`removed ${key}`);
    // Every write route's request was refused by construction (a 2xx already failed above).
    tally.rowsWrittenBy4xx(changed.length);
    const histogram = [...statuses].sort(([x], [y]) => x.localeCompare(y)).map(([status, count]) => `${status}×${count}`).join(' ');
    tally.note(`${tally.requests} generated requests on 6 route groups (${histogram}); rows compared: ${before.size}`);
    expect(changed).toEqual([]);
  });
});
