import { applyPatch } from 'rfc6902';
import { agentBody, call, errorBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

describe('Diffs: GET /v1/agents/{id}/versions/{from}/diff/{to}', () => {
  let t: TestApp;
  let tenant: Tenant;
  const id = 'diffed';
  const diff = (from: string, to: string, as: Tenant = tenant) => call(t.baseUrl, 'GET', `/v1/agents/${id}/versions/${from}/diff/${to}`, { tenant: as });
  const configuration = async (version: string) => (await call(t.baseUrl, 'GET', `/v1/agents/${id}/versions/${version}`, { tenant })).body.version.configuration;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'pro' });
    const created = await call(t.baseUrl, 'POST', '/v1/agents', {
      tenant,
      body: agentBody({ id, instructions: 'Be kind', enabledSkills: ['search', 'code'], config: { temperature: 0.2, tools: ['a', 'b'], nested: { keep: 1, drop: 2 } } }),
    });
    expect(created.status).toBe(201);
    const patched = await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, {
      tenant,
      body: {
        model: 'claude-opus-4-6', instructions: null, enabledSkills: ['code', 'deep_research'], deepResearchModel: 'gemini-3-pro-preview',
        binary: { path: '/bin/claude', args: ['-p'] }, config: { temperature: 0.7, tools: ['a', 'c', 'b'], nested: { drop: null, added: { x: [1] } } },
        version: '1.2.0',
      },
    });
    expect(patched.status).toBe(200);
    expect((await call(t.baseUrl, 'PUT', `/v1/agents/${id}/labels/production`, { tenant, body: { version: '1.0.0' } })).status).toBe(200);
  });
  afterAll(() => t.close());

  it('gives the RFC 6902 operations that turn the from configuration into the to one, both ways', async () => {
    for (const [from, to] of [['1.0.0', '1.2.0'], ['1.2.0', '1.0.0']]) {
      const answer = await diff(from, to);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ from, to, changes: expect.any(Array) });
      expect(answer.body.changes.length).toBeGreaterThan(0);
      const document = await configuration(from);
      expect(applyPatch(document, answer.body.changes).filter((error) => error !== null)).toEqual([]);
      expect(document).toEqual(await configuration(to));
    }
  });

  it('names the changes by JSON Pointer', async () => {
    const { changes } = (await diff('1.0.0', '1.2.0')).body;
    expect(changes).toEqual(expect.arrayContaining([
      { op: 'replace', path: '/model', value: 'claude-opus-4-6' },
      { op: 'replace', path: '/instructions', value: null },
      { op: 'replace', path: '/config/temperature', value: 0.7 },
      { op: 'remove', path: '/config/nested/drop' },
      { op: 'add', path: '/config/nested/added', value: { x: [1] } },
    ]));
    expect(changes.map((change: { path: string }) => change.path)).not.toContain('/name');
  });

  it('resolves labels and latest, and answers with the versions they resolved to', async () => {
    const direct = await diff('1.0.0', '1.2.0');
    const named = await diff('production', 'latest');
    expect(named.status).toBe(200);
    expect(named.body).toEqual(direct.body);
  });

  it('gives no change for the same version twice, however it is named', async () => {
    for (const [from, to] of [['1.2.0', '1.2.0'], ['production', '1.0.0'], ['latest', '1.2.0'], ['latest', 'latest']]) {
      const answer = await diff(from, to);
      expect([from, to, answer.status, answer.body.changes]).toEqual([from, to, 200, []]);
    }
  });

  it('answers 404 with the code of what is missing', async () => {
    const cases: [string, string, string, string][] = [
      ['1.0.0', '9.9.9', `Agent ${id} has no version 9.9.9`, 'version_not_found'],
      ['canary', '1.0.0', `Agent ${id} has no label canary`, 'label_not_found'],
    ];
    for (const [from, to, detail, code] of cases) {
      const answer = await diff(from, to);
      expect([answer.status, answer.body]).toEqual([404, errorBody(404, detail, code)]);
    }
    const nowhere = await call(t.baseUrl, 'GET', '/v1/agents/nowhere/versions/1.0.0/diff/1.0.0', { tenant });
    expect([nowhere.status, nowhere.body]).toEqual([404, errorBody(404, 'Agent nowhere not found', 'agent_not_found')]);
    const stranger = await diff('1.0.0', '1.2.0', await t.tenants.create());
    expect([stranger.status, stranger.body]).toEqual([404, errorBody(404, `Agent ${id} not found`, 'agent_not_found')]);
  });

  it('answers 422 on each segment that is neither a version nor a label, all at once', async () => {
    const problem = (loc: string) => ({ loc: ['path', loc], msg: expect.any(String), type: 'version_or_label' });
    expect((await diff('v1.0', '1.0.0')).body.detail).toEqual([problem('from')]);
    expect((await diff('1.0.0', '1.0')).body.detail).toEqual([problem('to')]);
    const both = await diff('Bad', '1..0');
    expect(both.status).toBe(422);
    expect(both.body.detail).toEqual([problem('from'), problem('to')]);
  });
});
