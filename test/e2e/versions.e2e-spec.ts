import { WorkspaceAdmin } from '../../src/modules/workspaces/workspace-admin.js';
import { agentBody, call, errorBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

describe('Agent versions', () => {
  let t: TestApp;
  let tenant: Tenant;
  let counter = 0;
  const create = async (fields: Record<string, unknown> = {}, as: Tenant = tenant) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody({ id: `agent-${++counter}`, ...fields }) });
    expect(answer.status).toBe(201);
    return answer.body.agent;
  };
  const patch = async (id: string, body: unknown, as: Tenant = tenant) => {
    const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant: as, body });
    expect(answer.status).toBe(200);
    return answer.body.agent;
  };
  const versions = (id: string, query = '', as: Tenant = tenant) => call(t.baseUrl, 'GET', `/v1/agents/${id}/versions${query}`, { tenant: as });
  const version = (id: string, v: string, as: Tenant = tenant) => call(t.baseUrl, 'GET', `/v1/agents/${id}/versions/${v}`, { tenant: as });
  const restore = (id: string, v: string, options: { body?: unknown; raw?: string; headers?: Record<string, string>; as?: Tenant } = {}) =>
    call(t.baseUrl, 'POST', `/v1/agents/${id}/versions/${v}/restore`, { tenant: options.as ?? tenant, body: options.body, raw: options.raw, headers: options.headers });
  const stored = async (id: string, projectId = tenant.projectId) => {
    const [row] = await t.dataSource.query('SELECT * FROM agents WHERE project_id = $1 AND id = $2', [projectId, id]);
    const rows = await t.dataSource.query(
      'SELECT number, version, configuration FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ORDER BY number',
      [projectId, id],
    );
    return { row, versions: rows };
  };
  const configurationOf = (agent: Record<string, unknown>) => ({
    name: agent.name, description: agent.description, model: agent.model, instructions: agent.instructions, binary: agent.binary,
    reasoningEffort: agent.reasoningEffort, enabledSkills: agent.enabledSkills, deepResearchModel: agent.deepResearchModel, config: agent.config,
  });

  let author: { userId: string; keyId: string };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'pro' });
    author = { userId: tenant.userId, keyId: tenant.keyId };
  });
  afterAll(() => t.close());

  describe('recording', () => {
    it('records 1.0.0 at creation', async () => {
      const agent = await create({ description: 'First', binary: { path: '/bin/claude', args: ['-p'] }, config: { t: 1 }, metadata: { m: 1 } });
      const answer = await versions(agent.id);

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        object: 'list',
        data: [{ agentId: agent.id, version: '1.0.0', createdAt: agent.createdAt, createdBy: author, configuration: configurationOf(agent) }],
        has_more: false,
        next_cursor: null,
        total_count: 1,
      });
    });

    it('records the version the creation names', async () => {
      const agent = await create({ version: '2.1.0-beta.1' });
      expect((await versions(agent.id)).body.data.map((v: { version: string }) => v.version)).toEqual(['2.1.0-beta.1']);
    });

    it('records a version for each configuration field, each with the whole configuration', async () => {
      const agent = await create({ model: 'gemini-3-flash' });
      const changes: Record<string, unknown>[] = [
        { name: 'Renamed' },
        { description: 'Described' },
        { model: 'claude-sonnet-4-5' },
        { instructions: 'Be brief' },
        { binary: { path: '/usr/bin/claude' } },
        { reasoningEffort: 'low' },
        { enabledSkills: ['deep_research'] },
        { deepResearchModel: 'gemini-3-pro-preview' },
        { config: { temperature: 0.5 } },
      ];
      const states = [agent];
      for (const [i, change] of changes.entries()) {
        const updated = await patch(agent.id, change);
        expect([change, updated.version]).toEqual([change, `1.0.${i + 1}`]);
        states.push(updated);
      }

      const { versions: rows } = await stored(agent.id);
      expect(rows.map((row: { number: number; version: string }) => [row.number, row.version])).toEqual(
        states.map((state, i) => [i + 1, state.version]),
      );
      rows.forEach((row: { configuration: unknown }, i: number) => expect(row.configuration).toEqual(configurationOf(states[i])));

      const listed = await versions(agent.id, '?limit=100');
      expect(listed.body.total_count).toBe(10);
      expect(listed.body.data.map((v: { version: string; createdAt: string }) => [v.version, v.createdAt])).toEqual(
        states.map((state) => [state.version, state.updatedAt]).reverse(),
      );
    });

    it('records no version for metadata, isActive or the flags', async () => {
      const service = await t.tenants.create({ scopes: ['agents:read', 'agents:write', 'internal'] });
      const agent = await create({}, service);
      await patch(agent.id, { metadata: { a: 1 } }, service);
      await patch(agent.id, { isActive: false }, service);
      await patch(agent.id, { isDefault: true, isSystem: true }, service);
      const answer = await versions(agent.id, '', service);
      expect(answer.body.data.map((v: { version: string }) => v.version)).toEqual(['1.0.0']);
      expect((await stored(agent.id, service.projectId)).row).toMatchObject({ version: '1.0.0', revision: 4 });
    });

    it('records no version for a PATCH that 422s', async () => {
      const agent = await create();
      const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${agent.id}`, { tenant, body: { description: 'x', version: '0.9.0' } });
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({
        detail: [{ loc: ['body', 'version'], msg: 'version must be greater than the current 1.0.0', type: 'version_not_greater' }],
      });
      expect((await stored(agent.id)).versions).toHaveLength(1);
    });
  });

  describe('GET /v1/agents/{id}/versions', () => {
    let id: string;

    beforeAll(async () => {
      id = (await create()).id;
      for (let i = 1; i <= 6; i++) await patch(id, { description: `change ${i}` });
    });

    it.each([
      ['desc', ['1.0.6', '1.0.5', '1.0.4', '1.0.3', '1.0.2', '1.0.1', '1.0.0']],
      ['asc', ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.0.6']],
    ])('pages through them in order=%s', async (order, expected) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const answer: Awaited<ReturnType<typeof versions>> = await versions(id, `?limit=3&order=${order}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        expect(answer.body.total_count).toBe(7);
        expect(answer.body.has_more).toBe(answer.body.next_cursor !== null);
        pages.push(answer.body.data.map((v: { version: string }) => v.version));
        cursor = answer.body.next_cursor;
      } while (cursor !== null);
      expect(pages).toEqual([expected.slice(0, 3), expected.slice(3, 6), expected.slice(6)]);
    });

    it('lists newest first by default', async () => {
      const answer = await versions(id);
      expect(answer.body.data[0].version).toBe('1.0.6');
      expect(answer.body.data[0].configuration.description).toBe('change 6');
    });

    it('keeps pages stable while new versions are recorded', async () => {
      const first = await versions(id, '?limit=3');
      await patch(id, { description: 'meanwhile' });
      const second = await versions(id, `?limit=3&cursor=${first.body.next_cursor}`);
      expect(second.body.data.map((v: { version: string }) => v.version)).toEqual(['1.0.3', '1.0.2', '1.0.1']);
      expect(second.body.total_count).toBe(8);
    });

    const entry = (name: string, type: string) => ({ loc: ['query', name], msg: expect.any(String), type });
    it.each([
      ['limit=0', [entry('limit', 'limit_out_of_range')]],
      ['limit=101', [entry('limit', 'limit_out_of_range')]],
      ['limit=x', [entry('limit', 'limit_out_of_range')]],
      ['order=latest', [entry('order', 'enum')]],
      ['cursor=%24%24', [entry('cursor', 'invalid_cursor')]],
      [`cursor=${Buffer.from('{"n":0}').toString('base64url')}`, [entry('cursor', 'invalid_cursor')]],
      [`cursor=${Buffer.from('{"n":1.5}').toString('base64url')}`, [entry('cursor', 'invalid_cursor')]],
      [`cursor=${Buffer.from('{"n":"3"}').toString('base64url')}`, [entry('cursor', 'invalid_cursor')]],
      [`cursor=${Buffer.from('{"n":1e300}').toString('base64url')}`, [entry('cursor', 'invalid_cursor')]],
      // Beyond PostgreSQL's integer: no version number the API ever gave (once a 500).
      [`cursor=${Buffer.from(JSON.stringify({ n: 2 ** 31 })).toString('base64url')}`, [entry('cursor', 'invalid_cursor')]],
      [`cursor=${Buffer.from(JSON.stringify({ n: 2 ** 53 - 1 })).toString('base64url')}`, [entry('cursor', 'invalid_cursor')]],
      [`cursor=${Buffer.from('{"t":"2026-01-01T00:00:00.000Z","i":"a"}').toString('base64url')}`, [entry('cursor', 'invalid_cursor')]],
      ['model=claude-sonnet-4-5', [entry('model', 'extra_forbidden')]],
    ])('answers 422 to %s', async (query, detail) => {
      const answer = await versions(id, `?${query}`);
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ detail });
    });

    it('answers a well-formed cursor past the end with an empty page', async () => {
      const answer = await versions(id, `?order=asc&cursor=${Buffer.from(JSON.stringify({ n: 2 ** 31 - 1 })).toString('base64url')}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ data: [], has_more: false, next_cursor: null });
    });

    it('answers 404 to an unknown agent', async () => {
      const answer = await versions('no-such-agent');
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ detail: 'Agent no-such-agent not found', code: 'agent_not_found' });
    });
  });

  describe('GET /v1/agents/{id}/versions/{version}', () => {
    it('returns one version', async () => {
      const agent = await create({ instructions: 'Original' });
      const changed = await patch(agent.id, { instructions: 'Changed', metadata: { m: 1 } });

      const first = await version(agent.id, '1.0.0');
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ version: { agentId: agent.id, version: '1.0.0', createdAt: agent.createdAt, createdBy: author, configuration: configurationOf(agent) } });
      const second = await version(agent.id, '1.0.1');
      expect(second.body).toEqual({ version: { agentId: agent.id, version: '1.0.1', createdAt: changed.updatedAt, createdBy: author, configuration: configurationOf(changed) } });
    });

    it('finds a version with pre-release and build parts', async () => {
      const agent = await create({ version: '1.0.0-rc.1+build.5' });
      const answer = await version(agent.id, '1.0.0-rc.1+build.5');
      expect(answer.status).toBe(200);
      expect(answer.body.version.version).toBe('1.0.0-rc.1+build.5');
    });

    it.each(['9.9.9', '1.0.1', '1.0.0-rc.1'])('answers 404 to the version %s', async (v) => {
      const agent = await create();
      const answer = await version(agent.id, v);
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ detail: `Agent ${agent.id} has no version ${v}`, code: 'version_not_found' });
    });

    it.each(['1.0', 'v1.0.0', '1.0.0-'])('answers 422 on ["path","version"] to %s, neither a version nor a label', async (v) => {
      const agent = await create();
      const answer = await version(agent.id, v);
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ detail: [{ loc: ['path', 'version'], msg: expect.any(String), type: 'version_or_label' }] });
    });
  });

  describe('who made each version (createdBy)', () => {
    it('records the key of the create, the PATCH and the restore that made each version', async () => {
      const colleague = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId });
      const agent = await create();
      await patch(agent.id, { description: 'by a colleague' }, colleague);
      expect((await restore(agent.id, '1.0.0', { as: colleague })).status).toBe(201);
      const listed = await versions(agent.id, '?order=asc');
      expect(listed.body.data.map((v: { version: string; createdBy: unknown }) => [v.version, v.createdBy])).toEqual([
        ['1.0.0', author],
        ['1.0.1', { userId: colleague.userId, keyId: colleague.keyId }],
        ['1.0.2', { userId: colleague.userId, keyId: colleague.keyId }],
      ]);
      expect((await version(agent.id, '1.0.1')).body.version.createdBy).toEqual({ userId: colleague.userId, keyId: colleague.keyId });
      const { rows } = { rows: await t.dataSource.query('SELECT created_by FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ORDER BY number', [tenant.projectId, agent.id]) };
      expect(rows[0].created_by).toEqual(author);
    });

    it('reads createdBy null back from a version stored before authors were (created_by NULL)', async () => {
      const agent = await create();
      await patch(agent.id, { description: 'later' });
      await t.dataSource.query(`UPDATE agent_versions SET created_by = NULL WHERE project_id = $1 AND agent_id = $2 AND version = '1.0.0'`, [tenant.projectId, agent.id]);
      expect((await version(agent.id, '1.0.0')).body.version).toMatchObject({ version: '1.0.0', createdBy: null });
      expect((await versions(agent.id)).body.data.map((v: { createdBy: unknown }) => v.createdBy)).toEqual([author, null]);
      // Still restorable, and the restore records its own author.
      expect((await restore(agent.id, '1.0.0')).status).toBe(201);
      expect((await version(agent.id, 'latest')).body.version).toMatchObject({ version: '1.0.2', createdBy: author });
    });

    it('answers 404 agent_not_found for an unknown agent', async () => {
      const answer = await version('no-such-agent', '1.0.0');
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ detail: 'Agent no-such-agent not found', code: 'agent_not_found' });
    });

    it("never answers with another agent's version", async () => {
      const one = await create();
      await patch(one.id, { description: 'one has 1.0.1' });
      const two = await create();
      const answer = await version(two.id, '1.0.1');
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('version_not_found');
    });
  });

  describe('POST /v1/agents/{id}/versions/{version}/restore', () => {
    it('makes a new version with the configuration of the old one, keeping metadata and flags', async () => {
      const agent = await create({ instructions: 'Original', reasoningEffort: 'high', config: { a: 1 }, metadata: { m: 'kept' } });
      await patch(agent.id, { instructions: 'Second', model: 'gemini-3-flash', reasoningEffort: 'minimal', config: { a: 2, b: 3 } });
      await patch(agent.id, { name: 'Third', isActive: false, metadata: { n: 2 } });
      const etagBefore = (await call(t.baseUrl, 'GET', `/v1/agents/${agent.id}`, { tenant })).headers.get('etag');

      const answer = await restore(agent.id, '1.0.0');
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe(`/v1/agents/${agent.id}/versions/1.0.3`);
      expect(answer.headers.get('etag')).toMatch(/^"[0-9a-z]+-4"$/);
      expect(answer.headers.get('etag')).not.toBe(etagBefore);
      expect(answer.body).toEqual({
        agent: { ...agent, version: '1.0.3', isActive: false, metadata: { m: 'kept', n: 2 }, updatedAt: expect.stringMatching(/Z$/) },
      });
      expect((await call(t.baseUrl, 'GET', `/v1/agents/${agent.id}`, { tenant })).body.agent).toEqual(answer.body.agent);

      const { versions: rows } = await stored(agent.id);
      expect(rows.map((row: { number: number; version: string }) => [row.number, row.version])).toEqual([[1, '1.0.0'], [2, '1.0.1'], [3, '1.0.2'], [4, '1.0.3']]);
      expect(rows[3].configuration).toEqual(rows[0].configuration);
      const located = await call(t.baseUrl, 'GET', answer.headers.get('location')!, { tenant });
      expect(located.status).toBe(200);
      expect(located.body.version.configuration).toEqual(configurationOf(agent));
    });

    it('names the new version as the body asks', async () => {
      const agent = await create();
      await patch(agent.id, { description: 'changed' });
      const answer = await restore(agent.id, '1.0.0', { body: { version: '2.0.0' } });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe(`/v1/agents/${agent.id}/versions/2.0.0`);
      expect(answer.body.agent).toMatchObject({ version: '2.0.0', description: null });
      // The next change bumps from there.
      expect((await patch(agent.id, { description: 'again' })).version).toBe('2.0.1');
    });

    it('takes an empty object or a JSON null body as no body', async () => {
      const agent = await create();
      expect((await restore(agent.id, '1.0.0', { body: {} })).headers.get('location')).toBe(`/v1/agents/${agent.id}/versions/1.0.1`);
      const nullBody = await restore(agent.id, '1.0.0', { raw: 'null', headers: { 'content-type': 'application/json' } });
      expect(nullBody.status).toBe(201);
      expect(nullBody.headers.get('location')).toBe(`/v1/agents/${agent.id}/versions/1.0.2`);
    });

    it('restores from a pre-release to its release', async () => {
      const agent = await create({ version: '1.1.0-rc.1' });
      const answer = await restore(agent.id, '1.1.0-rc.1');
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe(`/v1/agents/${agent.id}/versions/1.1.0`);
    });

    describe('422, changing nothing', () => {
      const expect422 = async (body: unknown, detail: unknown[]) => {
        const agent = await create({ version: '1.2.0' });
        const before = await stored(agent.id);
        const answer = await restore(agent.id, '1.2.0', { body });
        expect(answer.status).toBe(422);
        expect(answer.body).toMatchObject({ detail });
        expect(await stored(agent.id)).toEqual(before);
      };
      const entry = (loc: (string | number)[], type: string) => ({ loc: ['body', ...loc], msg: expect.any(String), type });

      it.each(['1.2.0', '1.1.9', '1.2.0-beta', '1.2.0+build'])('refuses the version %s, not greater than 1.2.0', async (v) => {
        await expect422({ version: v }, [{ loc: ['body', 'version'], msg: 'version must be greater than the current 1.2.0', type: 'version_not_greater' }]);
      });

      it.each(['v2', '2', '2.0', '02.0.0', 'latest', ''])('refuses the version %j, not semver', async (v) => {
        await expect422({ version: v }, [{ loc: ['body', 'version'], msg: 'version must be a semantic version such as 1.0.0', type: 'invalid_semver' }]);
      });

      it('refuses a version that is no string, and unknown fields', async () => {
        await expect422({ version: 2, force: true }, [entry(['force'], 'extra_forbidden'), entry(['version'], 'string_type')]);
      });

      it('refuses a body that is not an object', async () => {
        await expect422([], [{ loc: ['body'], msg: 'Input should be a JSON object', type: 'model_attributes_type' }]);
        await expect422('2.0.0', [{ loc: ['body'], msg: 'Input should be a JSON object', type: 'model_attributes_type' }]);
      });
    });

    describe('404', () => {
      it('answers an unknown version, or one that is not semver', async () => {
        const agent = await create();
        for (const v of ['3.0.0', 'latest']) {
          const answer = await restore(agent.id, v);
          expect([v, answer.status, answer.body]).toEqual([v, 404, errorBody(404, `Agent ${agent.id} has no version ${v}`, 'version_not_found')]);
        }
        expect((await stored(agent.id)).versions).toHaveLength(1);
      });

      it('answers an unknown agent', async () => {
        const answer = await restore('no-such-agent', '1.0.0');
        expect(answer.status).toBe(404);
        expect(answer.body).toMatchObject({ detail: 'Agent no-such-agent not found', code: 'agent_not_found' });
      });
    });

    describe('403', () => {
      it('refuses a key without agents:write', async () => {
        const agent = await create();
        const reader = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:read'] });
        const answer = await restore(agent.id, '1.0.0', { as: reader });
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:write', code: 'insufficient_scope' });
        expect((await stored(agent.id)).versions).toHaveLength(1);
      });

      it('refuses a version whose model the workspace no longer reaches', async () => {
        const downgraded = await t.tenants.create({ tier: 'pro' });
        const agent = await create({ model: 'claude-opus-4-6' }, downgraded);
        await patch(agent.id, { model: 'claude-sonnet-4-5' }, downgraded);
        await new WorkspaceAdmin(t.dataSource).setTier(downgraded.workspaceId, 'free');

        const before = await stored(agent.id, downgraded.projectId);
        const answer = await restore(agent.id, '1.0.0', { as: downgraded });
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ detail: 'The model claude-opus-4-6 needs the pro tier or above', code: 'model_locked' });
        expect(await stored(agent.id, downgraded.projectId)).toEqual(before);
        // A version on a model it still reaches restores.
        expect((await restore(agent.id, '1.0.1', { as: downgraded })).status).toBe(201);
      });
    });

    describe('401, 400, 415', () => {
      it('refuses a request without a key', async () => {
        const agent = await create();
        const answer = await call(t.baseUrl, 'POST', `/v1/agents/${agent.id}/versions/1.0.0/restore`);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
        expect(answer.body.code).toBe('unauthorized');
      });

      it('answers 400 to malformed JSON and 415 to a body that is not JSON', async () => {
        const agent = await create();
        const malformed = await restore(agent.id, '1.0.0', { raw: '{"version":', headers: { 'content-type': 'application/json' } });
        expect(malformed.status).toBe(400);
        expect(malformed.body).toMatchObject({ detail: 'The request body is not valid JSON', code: 'malformed_json' });
        const text = await restore(agent.id, '1.0.0', { raw: '{"version":"2.0.0"}', headers: { 'content-type': 'text/plain' } });
        expect(text.status).toBe(415);
        expect(text.body.code).toBe('unsupported_media_type');
        expect((await stored(agent.id)).versions).toHaveLength(1);
      });
    });
  });

  describe('read scope', () => {
    it('refuses the version reads to a key without agents:read', async () => {
      const agent = await create();
      const writer = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:write'] });
      for (const answer of [await versions(agent.id, '', writer), await version(agent.id, '1.0.0', writer)]) {
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:read', code: 'insufficient_scope' });
      }
    });
  });
});
