import { agentBody, call, errorBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

const INTERNAL = ['agents:read', 'agents:write', 'internal'] as const;

describe('DELETE /v1/agents/{id}', () => {
  let t: TestApp;
  let tenant: Tenant;
  let service: Tenant;
  let counter = 0;
  const create = async (fields: Record<string, unknown> = {}, as: Tenant = tenant) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody({ id: `agent-${++counter}`, ...fields }) });
    expect(answer.status).toBe(201);
    return answer.body.agent as { id: string; version: string };
  };
  const remove = (id: string, query = '', as: Tenant = tenant) => call(t.baseUrl, 'DELETE', `/v1/agents/${id}${query}`, { tenant: as });
  const stored = async (id: string, projectId = tenant.projectId) => {
    const [row] = await t.dataSource.query('SELECT * FROM agents WHERE project_id = $1 AND id = $2', [projectId, id]);
    const versions = await t.dataSource.query('SELECT number, version FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ORDER BY number', [projectId, id]);
    return { row, versions };
  };
  const notFound = (id: string) => errorBody(404, `Agent ${id} not found`, 'agent_not_found');

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'free' });
    service = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
  });
  afterAll(() => t.close());

  describe('soft delete (the default)', () => {
    let id: string;

    beforeAll(async () => {
      id = (await create({ description: 'Doomed' })).id;
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { description: 'Still doomed' } })).status).toBe(200);
      const answer = await remove(id);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ deleted: true });
    });

    it('keeps the row and its versions, marked deleted and no longer default', async () => {
      const { row, versions } = await stored(id);
      expect(row.deleted_at).toBeInstanceOf(Date);
      expect(row).toMatchObject({ description: 'Still doomed', is_default: false, revision: 3 });
      expect(versions).toEqual([{ number: 1, version: '1.0.0' }, { number: 2, version: '1.0.1' }]);
    });

    it.each([
      ['GET', '', undefined],
      ['PATCH', '', { name: 'Back' }],
      ['DELETE', '', undefined],
      ['DELETE', '?hard=true', undefined],
      ['GET', '/versions', undefined],
      ['GET', '/versions/1.0.0', undefined],
      ['POST', '/versions/1.0.0/restore', undefined],
    ])('answers 404 to %s /v1/agents/{id}%s', async (method, suffix, body) => {
      const answer = await call(t.baseUrl, method, `/v1/agents/${id}${suffix}`, { tenant, body });
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(notFound(id));
      expect((await stored(id)).row).toMatchObject({ revision: 3, version: '1.0.1' });
    });

    it('leaves it out of the list and its count', async () => {
      const answer = await call(t.baseUrl, 'GET', '/v1/agents?limit=100', { tenant });
      expect(answer.status).toBe(200);
      expect(answer.body.data.map((agent: { id: string }) => agent.id)).not.toContain(id);
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM agents WHERE project_id = $1 AND deleted_at IS NULL', [tenant.projectId]);
      expect(answer.body.total_count).toBe(count);
    });

    it('never reuses the id: creating it again is a 409', async () => {
      const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id }) });
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ detail: `An agent with the id ${id} already exists in this project`, code: 'agent_id_conflict' });
      expect((await stored(id)).row.deleted_at).toBeInstanceOf(Date);
    });

    it('is what ?hard=false does too', async () => {
      const other = (await create()).id;
      expect((await remove(other, '?hard=false')).status).toBe(200);
      expect((await stored(other)).row.deleted_at).toBeInstanceOf(Date);
    });
  });

  describe('hard delete', () => {
    it('removes the agent and all its versions, and frees the id', async () => {
      const { id } = await create();
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { instructions: 'v2' } })).status).toBe(200);
      expect((await stored(id)).versions).toHaveLength(2);

      const answer = await remove(id, '?hard=true');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ deleted: true });
      expect(await stored(id)).toEqual({ row: undefined, versions: [] });
      expect((await call(t.baseUrl, 'GET', `/v1/agents/${id}`, { tenant })).status).toBe(404);

      const again = await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id, name: 'Reborn' }) });
      expect(again.status).toBe(201);
      expect(again.body.agent).toMatchObject({ id, name: 'Reborn', version: '1.0.0' });
      expect((await stored(id)).versions).toEqual([{ number: 1, version: '1.0.0' }]);
    });

    it('answers 404 to an agent that was soft-deleted before', async () => {
      const { id } = await create();
      expect((await remove(id)).status).toBe(200);
      const answer = await remove(id, '?hard=true');
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(notFound(id));
      expect((await stored(id)).row.deleted_at).toBeInstanceOf(Date);
    });
  });

  describe('system and default agents', () => {
    it('refuses to delete a system agent without an internal key, soft or hard', async () => {
      const { id } = await create({ isSystem: true }, service);
      const colleague = await t.tenants.create({ workspaceId: service.workspaceId, projectId: service.projectId });
      for (const query of ['', '?hard=true']) {
        const answer = await remove(id, query, colleague);
        expect([query, answer.status, answer.body]).toEqual([
          query, 403, errorBody(403, 'Only an internal key may delete a system agent', 'internal_only'),
        ]);
      }
      const { row, versions } = await stored(id, service.projectId);
      expect(row).toMatchObject({ deleted_at: null, revision: 1 });
      expect(versions).toHaveLength(1);
    });

    it('deletes a system agent with an internal key', async () => {
      const soft = (await create({ isSystem: true }, service)).id;
      const hard = (await create({ isSystem: true }, service)).id;
      expect((await remove(soft, '', service)).status).toBe(200);
      expect((await remove(hard, '?hard=true', service)).status).toBe(200);
      expect((await stored(soft, service.projectId)).row.deleted_at).toBeInstanceOf(Date);
      expect((await stored(hard, service.projectId)).row).toBeUndefined();
    });

    it.each([
      ['soft', ''],
      ['hard', '?hard=true'],
    ])('leaves the project with no default agent when the default one is deleted (%s)', async (_, query) => {
      const project = await t.tenants.create({ scopes: [...INTERNAL] });
      const { id } = await create({ isDefault: true }, project);
      await create({}, project);

      expect((await remove(id, query, project)).status).toBe(200);
      expect(await t.dataSource.query('SELECT id FROM agents WHERE project_id = $1 AND is_default', [project.projectId])).toEqual([]);
      const defaults = await call(t.baseUrl, 'GET', '/v1/agents?isDefault=true', { tenant: project });
      expect(defaults.body).toMatchObject({ data: [], total_count: 0 });

      // A new default can be named afterwards.
      const next = await create({ isDefault: true }, project);
      expect((await call(t.baseUrl, 'GET', '/v1/agents?isDefault=true', { tenant: project })).body.data.map((a: { id: string }) => a.id)).toEqual([next.id]);
    });
  });

  describe('errors, changing nothing', () => {
    it('answers 404 to an unknown or malformed id', async () => {
      for (const id of ['never-was', '-bad', 'a'.repeat(65)]) {
        const answer = await remove(id);
        expect([id, answer.status, answer.body]).toEqual([id, 404, notFound(id.slice(0, 64))]);
      }
    });

    it.each(['yes', 'TRUE', '1', ''])('answers 422 to hard=%s', async (hard) => {
      const { id } = await create();
      const answer = await remove(id, `?hard=${hard}`);
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ detail: [{ loc: ['query', 'hard'], msg: 'Input should be true or false', type: 'bool_parsing' }] });
      expect((await stored(id)).row).toMatchObject({ deleted_at: null, revision: 1 });
    });

    it('answers 403 to a key without agents:write', async () => {
      const { id } = await create();
      const reader = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:read'] });
      const answer = await remove(id, '?hard=true', reader);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:write', code: 'insufficient_scope' });
      expect((await stored(id)).row).toMatchObject({ deleted_at: null });
    });

    it('answers 401 without a key', async () => {
      const { id } = await create();
      const answer = await call(t.baseUrl, 'DELETE', `/v1/agents/${id}`);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body.code).toBe('unauthorized');
      expect((await stored(id)).row).toMatchObject({ deleted_at: null });
    });

    it('deletes once when two deletes race: one 200, one 404', async () => {
      const { id } = await create();
      const answers = await Promise.all([remove(id), remove(id)]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 404]);
    });
  });
});
