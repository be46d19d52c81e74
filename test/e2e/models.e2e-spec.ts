import { WorkspaceAdmin } from '../../src/modules/workspaces/workspace-admin.js';
import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /v1/agents/models', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const models = (token: string) => call(t.baseUrl, 'GET', '/v1/agents/models', { headers: { authorization: `Bearer ${token}` } });

  it("lists the managed catalog, locked above the workspace's tier", async () => {
    const free = await t.tenants.create({ tier: 'free' });
    const answer = await models(free.token);

    expect(answer.status).toBe(200);
    expect(answer.body.tier).toBe('free');
    expect(answer.body.models.map((m: { id: string; locked: boolean }) => [m.id, m.locked])).toEqual([
      ['claude-opus-4-6', true],
      ['claude-sonnet-4-5', false],
      ['claude-haiku-4-5', false],
      ['gemini-3-flash', false],
      ['gemini-3-1-pro', false],
    ]);
    expect(answer.body.models[3]).toEqual({
      id: 'gemini-3-flash', label: 'Gemini 3 Flash', description: expect.any(String), intelligence: 'high',
      contextWindow: 1_048_576, speed: 'fastest', source: 'managed', providerType: 'google', requiredTier: 'free',
      locked: false, reasoningEfforts: ['minimal', 'low', 'medium', 'high'], defaultReasoningEffort: 'high',
    });
  });

  it("adds the workspace's connected external models, percent-encoded, and only its own", async () => {
    const team = await t.tenants.create({ tier: 'team', providers: [{ type: 'openai', models: ['gpt-5/mini'] }] });
    const other = await t.tenants.create({ tier: 'enterprise', providers: [{ type: 'mistral', models: ['large'] }] });

    const answer = await models(team.token);
    const external = answer.body.models.filter((m: { source: string }) => m.source === 'external');
    expect(external).toEqual([
      {
        id: 'external:openai:gpt-5%2Fmini', label: 'gpt-5/mini', description: expect.any(String), intelligence: null,
        contextWindow: null, speed: null, source: 'external', providerType: 'openai', requiredTier: 'team',
        locked: false, reasoningEfforts: ['minimal', 'low', 'medium', 'high'], defaultReasoningEffort: 'medium',
      },
    ]);
    expect(answer.body.models.every((m: { locked: boolean }) => !m.locked)).toBe(true);
    const otherIds = (await models(other.token)).body.models.map((m: { id: string }) => m.id);
    expect(otherIds).toContain('external:mistral:large');
    expect(otherIds).not.toContain('external:openai:gpt-5%2Fmini');
  });

  it('marks external models locked below the team tier', async () => {
    const pro = await t.tenants.create({ tier: 'pro', providers: [{ type: 'openai', models: ['gpt-5'] }] });
    const answer = await models(pro.token);
    expect(answer.body.models.find((m: { id: string }) => m.id === 'external:openai:gpt-5').locked).toBe(true);
  });

  it("says which model is the workspace's default, and agents created without a model get it", async () => {
    const pro = await t.tenants.create({ tier: 'pro' });
    expect((await models(pro.token)).body.defaultModel).toBe('claude-sonnet-4-5');

    await new WorkspaceAdmin(t.dataSource).setDefaultModel(pro.workspaceId, 'claude-opus-4-6');
    expect((await models(pro.token)).body.defaultModel).toBe('claude-opus-4-6');
    const created = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: pro, body: { name: 'Runner' } });
    expect([created.status, created.body.agent.model, created.body.agent.reasoningEffort]).toEqual([201, 'claude-opus-4-6', 'high']);
    // An explicit model still wins, and an effort is judged against the model it ends up with.
    const explicit = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: pro, body: agentBody({ model: 'gemini-3-flash' }) });
    expect(explicit.body.agent.model).toBe('gemini-3-flash');
    const minimal = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: pro, body: { name: 'Runner', reasoningEffort: 'minimal' } });
    expect([minimal.status, minimal.body.detail?.[0]?.loc]).toEqual([422, ['body', 'reasoningEffort']]);

    // Downgraded below the choice: the catalog's default again, and creates keep working.
    await new WorkspaceAdmin(t.dataSource).setTier(pro.workspaceId, 'free');
    expect((await models(pro.token)).body).toMatchObject({ tier: 'free', defaultModel: 'claude-sonnet-4-5' });
    const afterDowngrade = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: pro, body: { name: 'Runner' } });
    expect([afterDowngrade.status, afterDowngrade.body.agent.model]).toEqual([201, 'claude-sonnet-4-5']);
  });

  it('needs agents:read, and a key', async () => {
    const writer = await t.tenants.create({ scopes: ['agents:write'] });
    expect((await models(writer.token)).body).toMatchObject({ detail: 'This API key lacks the scope agents:read', code: 'insufficient_scope' });
    const anonymous = await call(t.baseUrl, 'GET', '/v1/agents/models');
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
  });
});
