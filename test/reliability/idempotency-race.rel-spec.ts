import { randomUUID } from 'node:crypto';
import { jsonRequest, send, type Received } from './support/http.js';
import { Tally } from './support/tally.js';
import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

// Idempotent retries racing each other: 20 requests at once with one Idempotency-Key make exactly
// one agent (or one version); the others wait their turn (409 idempotency_key_in_flight) or get the
// first answer again. Round after round, with fresh keys.

const PARALLEL = 20;
const ROUNDS = 5;
const TIMEOUT_MS = 60_000;

describe('idempotent retries racing each other', () => {
  const tally = new Tally('idempotency-race');
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await t.tenants.create({ tier: 'free' });
  }, TIMEOUT_MS);

  afterAll(async () => {
    tally.note(`${ROUNDS} create rounds and ${ROUNDS} restore rounds of ${PARALLEL} parallel requests with one key`);
    tally.save();
    await t?.close();
  });

  const count = async (sql: string, ...params: unknown[]) => Number((await t.dataSource.query(sql, params))[0].count);
  const agentCount = () => count('SELECT count(*) FROM agents WHERE project_id = $1', tenant.projectId);
  const versionCount = (agentId: string) => count('SELECT count(*) FROM agent_versions WHERE project_id = $1 AND agent_id = $2', tenant.projectId, agentId);

  /** `PARALLEL` copies of one request, sent at once. */
  const race = (method: string, path: string, body: unknown, key: string) =>
    Promise.all(Array.from({ length: PARALLEL }, () => send(tally, t.baseUrl, jsonRequest(method, path, tenant.token, body, { 'idempotency-key': key }))));

  /** Only 201 (first or replayed) and 409 idempotency_key_in_flight; every 201 the same answer. */
  function expectOneOutcome(answers: Received[]): Received[] {
    const summary = answers.map((answer) => `${answer.status} ${answer.body?.code ?? ''}`.trim());
    for (const line of summary) expect(['201', '409 idempotency_key_in_flight']).toContain(line);
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // At most one ran the work; any other 201 is its replay, with the same body.
    expect(created.filter((answer) => answer.headers?.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    for (const answer of created) expect(answer.body).toEqual(created[0].body);
    return created;
  }

  it(`${ROUNDS} rounds of ${PARALLEL} parallel creates with one key each create exactly one agent per round`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = randomUUID();
      const body = agentBody({ name: `Race ${round}`, metadata: { round } });
      const before = await agentCount();

      const created = expectOneOutcome(await race('POST', '/v1/agents', body, key));

      expect(await agentCount()).toBe(before + 1);
      const id = created[0].body.agent.id;
      expect(await count('SELECT count(*) FROM agents WHERE project_id = $1 AND metadata @> $2::jsonb', tenant.projectId, JSON.stringify({ round }))).toBe(1);
      // A retry once the race is over replays the first answer.
      const retry = await send(tally, t.baseUrl, jsonRequest('POST', '/v1/agents', tenant.token, body, { 'idempotency-key': key }));
      expect([retry.status, retry.headers?.get('idempotent-replayed'), retry.body.agent.id]).toEqual([201, 'true', id]);
      expect(await agentCount()).toBe(before + 1);
    }
  }, TIMEOUT_MS);

  it(`${PARALLEL} parallel creates with one key and one custom id: one agent, no 409 agent_id_conflict`, async () => {
    const key = randomUUID();
    const created = expectOneOutcome(await race('POST', '/v1/agents', agentBody({ id: 'raced-custom-id' }), key));
    expect(created[0].body.agent.id).toBe('raced-custom-id');
    expect(await count('SELECT count(*) FROM agents WHERE project_id = $1 AND id = $2', tenant.projectId, 'raced-custom-id')).toBe(1);
  }, TIMEOUT_MS);

  it(`${PARALLEL} parallel creates of one custom id without a key: exactly one 201, the others 409 agent_id_conflict`, async () => {
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => send(tally, t.baseUrl, jsonRequest('POST', '/v1/agents', tenant.token, agentBody({ id: 'contended-id' })))),
    );
    const lines = answers.map((answer) => `${answer.status} ${answer.body?.code ?? ''}`.trim()).sort();
    expect(lines).toEqual(['201', ...Array.from({ length: PARALLEL - 1 }, () => '409 agent_id_conflict')]);
    expect(await count('SELECT count(*) FROM agents WHERE project_id = $1 AND id = $2', tenant.projectId, 'contended-id')).toBe(1);
  }, TIMEOUT_MS);

  it(`${ROUNDS} rounds of ${PARALLEL} parallel restores with one key each make exactly one version per round`, async () => {
    const agentId = 'restored-under-race';
    expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id: agentId, description: 'first' }) })).status).toBe(201);
    expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${agentId}`, { tenant, body: { description: 'second' } })).status).toBe(200);

    for (let round = 0; round < ROUNDS; round++) {
      const key = randomUUID();
      const before = await versionCount(agentId);

      const created = expectOneOutcome(await race('POST', `/v1/agents/${agentId}/versions/1.0.0/restore`, undefined, key));

      expect(await versionCount(agentId)).toBe(before + 1);
      expect(created[0].body.agent.description).toBe('first');
      const retry = await send(tally, t.baseUrl, jsonRequest('POST', `/v1/agents/${agentId}/versions/1.0.0/restore`, tenant.token, undefined, { 'idempotency-key': key }));
      expect([retry.status, retry.headers?.get('idempotent-replayed'), retry.body.agent.version]).toEqual([201, 'true', created[0].body.agent.version]);
      expect(await versionCount(agentId)).toBe(before + 1);
    }
  }, TIMEOUT_MS);

  it('the same key with other bodies is refused (422 idempotency_key_reused, or 409 while in flight) and creates nothing', async () => {
    const key = randomUUID();
    expect((await send(tally, t.baseUrl, jsonRequest('POST', '/v1/agents', tenant.token, agentBody({ name: 'One' }), { 'idempotency-key': key }))).status).toBe(201);
    const before = await agentCount();
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, index) =>
        send(tally, t.baseUrl, jsonRequest('POST', '/v1/agents', tenant.token, agentBody({ name: `Other ${index}` }), { 'idempotency-key': key })),
      ),
    );
    const lines = answers.map((answer) => `${answer.status} ${answer.body?.code}`);
    for (const line of lines) expect(['422 idempotency_key_reused', '409 idempotency_key_in_flight']).toContain(line);
    expect(lines).toContain('422 idempotency_key_reused');
    expect(await agentCount()).toBe(before);
  }, TIMEOUT_MS);
});
