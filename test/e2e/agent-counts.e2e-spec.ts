import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

/**
 * The list's unfiltered total_count comes from agent_counts (kept by triggers), not from a count of
 * the project's agents: it must stay exactly that count through every way an agent comes and goes.
 */
describe('the live agent counts behind total_count', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  const totalOf = async (as: Tenant) => (await call(t.baseUrl, 'GET', '/v1/agents?limit=1', { tenant: as })).body.total_count as number;
  const counted = async (as: Tenant) =>
    Number((await t.dataSource.query('SELECT count(*) AS n FROM agents WHERE project_id = $1 AND deleted_at IS NULL', [as.projectId]))[0].n);
  const expectExact = async () => {
    for (const as of [tenant, other]) expect(await totalOf(as)).toBe(await counted(as));
  };

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await t.tenants.create();
    other = await t.tenants.create();
  });
  afterAll(() => t.close());

  it('starts at 0 and follows creates, in parallel too', async () => {
    await expectExact();
    expect(await totalOf(tenant)).toBe(0);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, n) => call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id: `agent-${n}` }) })));
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    await call(t.baseUrl, 'POST', '/v1/agents', { tenant: other, body: agentBody() });
    expect(await totalOf(tenant)).toBe(40);
    await expectExact();
  });

  it('is not moved by a refused create, a PATCH or a restore', async () => {
    expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id: 'agent-1' }) })).status).toBe(409);
    await call(t.baseUrl, 'PATCH', '/v1/agents/agent-2', { tenant, body: { name: 'Renamed' } });
    await call(t.baseUrl, 'POST', '/v1/agents/agent-2/versions/1.0.0/restore', { tenant });
    expect(await totalOf(tenant)).toBe(40);
    await expectExact();
  });

  it('follows soft and hard deletes', async () => {
    expect((await call(t.baseUrl, 'DELETE', '/v1/agents/agent-3', { tenant })).status).toBe(200);
    expect((await call(t.baseUrl, 'DELETE', '/v1/agents/agent-4?hard=true', { tenant })).status).toBe(200);
    expect(await totalOf(tenant)).toBe(38);
    await expectExact();
  });

  it('follows writes made in SQL, bulk ones included (a soft-deleted row removed changes nothing)', async () => {
    await t.dataSource.query(`
      INSERT INTO agents (project_id, id, user_id, name, model, reasoning_effort, version, created_at, updated_at)
      SELECT $1, 'bulk-' || n, 'usr_1', 'Bulk ' || n, 'claude-sonnet-4-5', 'medium', '1.0.0', now(), now() FROM generate_series(1, 500) AS n`, [tenant.projectId]);
    await t.dataSource.query(`UPDATE agents SET deleted_at = now() WHERE project_id = $1 AND id LIKE 'bulk-1%'`, [tenant.projectId]);
    await t.dataSource.query(`DELETE FROM agents WHERE project_id = $1 AND id LIKE 'bulk-1%'`, [tenant.projectId]);
    await t.dataSource.query(`DELETE FROM agents WHERE project_id = $1 AND id LIKE 'bulk-2%'`, [tenant.projectId]);
    await expectExact();
    expect(await totalOf(tenant)).toBe(38 + 500 - 111 - 111);
  });

  it('is still a count of what matches once a filter is given', async () => {
    const filtered = (await call(t.baseUrl, 'GET', '/v1/agents?limit=1&q=Bulk', { tenant })).body.total_count;
    expect(filtered).toBe(500 - 111 - 111);
  });
});
