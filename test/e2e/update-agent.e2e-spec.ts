import { agentBody, call, errorBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

const INTERNAL = ['agents:read', 'agents:write', 'internal'] as const;

describe('PATCH /v1/agents/{id}', () => {
  let t: TestApp;
  let tenant: Tenant;
  let counter = 0;
  /** A new agent of `as`'s project, under a fresh id. */
  const create = async (fields: Record<string, unknown> = {}, as: Tenant = tenant) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody({ id: `agent-${++counter}`, ...fields }) });
    expect(answer.status).toBe(201);
    return { agent: answer.body.agent, etag: answer.headers.get('etag')! };
  };
  const patch = (id: string, body: unknown, options: { as?: Tenant; headers?: Record<string, string> } = {}) =>
    call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant: options.as ?? tenant, body, headers: options.headers });
  const get = async (id: string, as: Tenant = tenant) => (await call(t.baseUrl, 'GET', `/v1/agents/${id}`, { tenant: as })).body.agent;
  /** The agent's row and its versions, as stored. */
  const stored = async (id: string, projectId = tenant.projectId) => {
    const [row] = await t.dataSource.query('SELECT * FROM agents WHERE project_id = $1 AND id = $2', [projectId, id]);
    const versions = await t.dataSource.query(
      'SELECT number, version, configuration FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ORDER BY number',
      [projectId, id],
    );
    return { row, versions };
  };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'free' });
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('keeps omitted fields, trims the name, moves updatedAt and the ETag', async () => {
      const { agent, etag } = await create({
        description: 'Keeps', instructions: 'Be kind', binary: { path: '/bin/claude', args: ['-p'] },
        enabledSkills: ['web'], metadata: { team: 'a' }, config: { temperature: 0.1 },
      });

      const answer = await patch(agent.id, { name: '  Renamed  ' });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        agent: { ...agent, name: 'Renamed', version: '1.0.1', updatedAt: expect.stringMatching(/Z$/) },
      });
      expect(Date.parse(answer.body.agent.updatedAt)).toBeGreaterThanOrEqual(Date.parse(agent.updatedAt));
      expect(answer.headers.get('etag')).toMatch(/^"[0-9a-z]+-2"$/);
      expect(answer.headers.get('etag')).not.toBe(etag);
      expect(await get(agent.id)).toEqual(answer.body.agent);
    });

    it('clears optional fields with null, and resets reasoningEffort to the model default', async () => {
      const { agent } = await create({
        model: 'gemini-3-flash', reasoningEffort: 'minimal', description: 'd', instructions: 'i', binary: { path: '/x' },
        enabledSkills: ['deep_research'], deepResearchModel: 'gemini-3-pro-preview', metadata: { a: 1 }, config: { b: 2 },
      });

      const answer = await patch(agent.id, {
        description: null, instructions: null, binary: null, reasoningEffort: null, enabledSkills: null,
        deepResearchModel: null, metadata: null, config: null, version: null,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({
        description: null, instructions: null, binary: null, reasoningEffort: 'high', enabledSkills: [],
        deepResearchModel: null, metadata: {}, config: {}, version: '1.0.1',
      });
      const { row } = await stored(agent.id);
      expect(row).toMatchObject({ description: null, instructions: null, execution_binary: null, enabled_skills: [], metadata: {}, config: {} });
    });

    it('replaces arrays whole', async () => {
      const { agent } = await create({ enabledSkills: ['a', 'b', 'c'], binary: { path: '/x', args: ['1', '2'] } });
      const answer = await patch(agent.id, { enabledSkills: ['d'], binary: { path: '/y' } });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ enabledSkills: ['d'], binary: { path: '/y' } });
    });

    it('merges metadata and config as JSON merge patches', async () => {
      const { agent } = await create({
        metadata: { keep: 1, drop: 2, nested: { a: 1, b: 2 }, list: [1, 2] },
        config: { temperature: 0.2, tools: { web: true, shell: true } },
      });

      const answer = await patch(agent.id, {
        metadata: { drop: null, nested: { b: null, c: 3 }, list: [3], added: 'x' },
        config: { tools: { shell: null }, maxTokens: 100 },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.agent.metadata).toEqual({ keep: 1, nested: { a: 1, c: 3 }, list: [3], added: 'x' });
      expect(answer.body.agent.config).toEqual({ temperature: 0.2, tools: { web: true }, maxTokens: 100 });
      const { row } = await stored(agent.id);
      expect(row.metadata).toEqual(answer.body.agent.metadata);
      expect(row.config).toEqual(answer.body.agent.config);
    });

    it('keeps the effort when the new model supports it', async () => {
      const { agent } = await create({ reasoningEffort: 'high' });
      const answer = await patch(agent.id, { model: 'gemini-3-flash' });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ model: 'gemini-3-flash', reasoningEffort: 'high' });
    });

    it('switches to a model lacking the current effort when the same request sets a supported one', async () => {
      const { agent } = await create({ model: 'gemini-3-flash', reasoningEffort: 'minimal' });
      const answer = await patch(agent.id, { model: 'claude-haiku-4-5', reasoningEffort: 'low' });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ model: 'claude-haiku-4-5', reasoningEffort: 'low', version: '1.0.1' });
    });

    it('switches to a model lacking the current effort with reasoningEffort null (the new default)', async () => {
      const { agent } = await create({ model: 'gemini-3-flash', reasoningEffort: 'minimal' });
      const answer = await patch(agent.id, { model: 'claude-haiku-4-5', reasoningEffort: null });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ model: 'claude-haiku-4-5', reasoningEffort: 'low' });
    });

    it('drops deep_research together with its model', async () => {
      const { agent } = await create({ enabledSkills: ['deep_research'], deepResearchModel: 'gemini-3-flash-preview' });
      const answer = await patch(agent.id, { enabledSkills: ['web'], deepResearchModel: null });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ enabledSkills: ['web'], deepResearchModel: null });
    });

    it('accepts the current id, and isActive from any key', async () => {
      const { agent } = await create();
      const answer = await patch(agent.id, { id: agent.id, isActive: false });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ id: agent.id, isActive: false, version: '1.0.0' });
    });

    it('lets a non-internal key restate the flags as they are', async () => {
      const { agent } = await create();
      const answer = await patch(agent.id, { isDefault: false, isSystem: false });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ isDefault: false, isSystem: false });
    });

    it('changes nothing, not even the ETag, when the patch changes nothing', async () => {
      const { agent, etag } = await create({ description: 'same', metadata: { a: 1 } });
      for (const body of [{}, { description: 'same', name: agent.name }, { metadata: {} }, { metadata: { a: 1 } }, { metadata: { gone: null } }]) {
        const answer = await patch(agent.id, body);
        expect([body, answer.status, answer.headers.get('etag')]).toEqual([body, 200, etag]);
        expect(answer.body.agent).toEqual(agent);
      }
      const { row, versions } = await stored(agent.id);
      expect(row.revision).toBe(1);
      expect(versions).toHaveLength(1);
    });

    it('moves the default flag with an internal key', async () => {
      const service = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
      const first = await create({ isDefault: true }, service);
      const second = await create({}, service);

      const answer = await patch(second.agent.id, { isDefault: true, isSystem: true }, { as: service });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ isDefault: true, isSystem: true, version: '1.0.0' });
      const defaults = await t.dataSource.query('SELECT id FROM agents WHERE project_id = $1 AND is_default', [service.projectId]);
      expect(defaults).toEqual([{ id: second.agent.id }]);
      expect((await get(first.agent.id, service)).isDefault).toBe(false);

      const cleared = await patch(second.agent.id, { isDefault: false }, { as: service });
      expect(cleared.status).toBe(200);
      expect(await t.dataSource.query('SELECT id FROM agents WHERE project_id = $1 AND is_default', [service.projectId])).toEqual([]);
    });

    it('accepts an external model the workspace connected', async () => {
      const team = await t.tenants.create({ tier: 'team', providers: [{ type: 'openai', models: ['gpt-5'] }] });
      const { agent } = await create({}, team);
      const answer = await patch(agent.id, { model: 'external:openai:gpt-5', reasoningEffort: 'minimal' }, { as: team });
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ model: 'external:openai:gpt-5', reasoningEffort: 'minimal' });
    });
  });

  describe('versions made by a change', () => {
    it('records a version per configuration change, none for metadata or isActive', async () => {
      const { agent } = await create();
      expect((await patch(agent.id, { metadata: { only: 'metadata' } })).body.agent.version).toBe('1.0.0');
      expect((await patch(agent.id, { isActive: false })).body.agent.version).toBe('1.0.0');
      expect((await patch(agent.id, { instructions: 'New' })).body.agent.version).toBe('1.0.1');
      expect((await patch(agent.id, { config: { a: 1 }, metadata: { more: true } })).body.agent.version).toBe('1.0.2');

      const { row, versions } = await stored(agent.id);
      expect(versions.map((v: { number: number; version: string }) => [v.number, v.version])).toEqual([[1, '1.0.0'], [2, '1.0.1'], [3, '1.0.2']]);
      expect(versions[2].configuration).toMatchObject({ instructions: 'New', config: { a: 1 } });
      expect(versions[2].configuration).not.toHaveProperty('metadata');
      expect(row).toMatchObject({ version: '1.0.2', revision: 5, metadata: { only: 'metadata', more: true } });
    });

    it('names the new version as the client asks, then bumps from there', async () => {
      const { agent } = await create();
      expect((await patch(agent.id, { description: 'beta', version: '2.0.0-beta.1' })).body.agent.version).toBe('2.0.0-beta.1');
      expect((await patch(agent.id, { description: 'release' })).body.agent.version).toBe('2.0.0');
      expect((await patch(agent.id, { description: 'fix' })).body.agent.version).toBe('2.0.1');
      expect((await patch(agent.id, { description: 'minor', version: '2.1.0' })).body.agent.version).toBe('2.1.0');
      const { versions } = await stored(agent.id);
      expect(versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0', '2.0.0-beta.1', '2.0.0', '2.0.1', '2.1.0']);
    });
  });

  describe('422, changing nothing', () => {
    const entry = (loc: (string | number)[], type: string) => ({ loc: ['body', ...loc], msg: expect.any(String), type });
    const expect422 = async (id: string, body: unknown, detail: unknown[]) => {
      const before = await stored(id);
      const answer = await patch(id, body);
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ detail });
      expect(await stored(id)).toEqual(before);
    };

    it('refuses a model lacking the current effort unless the request sets one', async () => {
      const { agent } = await create({ model: 'gemini-3-flash', reasoningEffort: 'minimal' });
      await expect422(agent.id, { model: 'claude-sonnet-4-5' }, [
        { loc: ['body', 'reasoningEffort'], msg: 'claude-sonnet-4-5 supports the reasoning efforts low, medium, high', type: 'unsupported_reasoning_effort' },
      ]);
      await expect422(agent.id, { model: 'claude-sonnet-4-5', reasoningEffort: 'minimal' }, [entry(['reasoningEffort'], 'unsupported_reasoning_effort')]);
    });

    it('refuses an effort the current model lacks', async () => {
      const { agent } = await create({ model: 'claude-haiku-4-5' });
      await expect422(agent.id, { reasoningEffort: 'minimal' }, [entry(['reasoningEffort'], 'unsupported_reasoning_effort')]);
      await expect422(agent.id, { reasoningEffort: 'extreme' }, [entry(['reasoningEffort'], 'enum')]);
    });

    it('refuses to drop deep_research while a deepResearchModel stays', async () => {
      const { agent } = await create({ enabledSkills: ['deep_research'], deepResearchModel: 'gemini-3-flash-preview' });
      await expect422(agent.id, { enabledSkills: ['web'] }, [entry(['deepResearchModel'], 'skill_required')]);
      await expect422(agent.id, { enabledSkills: null }, [entry(['deepResearchModel'], 'skill_required')]);
    });

    it('refuses a merge that leaves metadata over 64 keys or 16 KiB', async () => {
      const { agent } = await create({ metadata: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])) });
      await expect422(agent.id, { metadata: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`extra${i}`, i])) }, [
        entry(['metadata'], 'too_many_keys'),
      ]);
      await expect422(agent.id, { metadata: { k0: 'x'.repeat(16 * 1024) } }, [entry(['metadata'], 'too_large')]);
    });

    it('refuses an id change, null for required fields, a blank name', async () => {
      const { agent } = await create();
      await expect422(agent.id, { id: 'another-id', name: null, model: null, isActive: null }, [
        { loc: ['body', 'id'], msg: 'The id of an agent cannot change', type: 'immutable' },
        entry(['name'], 'null_not_allowed'),
        entry(['model'], 'null_not_allowed'),
        entry(['isActive'], 'null_not_allowed'),
      ]);
      await expect422(agent.id, { name: '   ' }, [entry(['name'], 'string_length')]);
    });

    it('refuses a version that is not semver or not greater than the current one', async () => {
      const { agent } = await create({ version: '1.2.0' });
      await expect422(agent.id, { description: 'x', version: 'v2' }, [entry(['version'], 'invalid_semver')]);
      for (const version of ['1.2.0', '1.1.9', '1.2.0-rc.1', '1.2.0+build.7']) {
        await expect422(agent.id, { description: 'x', version }, [
          { loc: ['body', 'version'], msg: 'version must be greater than the current 1.2.0', type: 'version_not_greater' },
        ]);
      }
    });

    it('refuses unknown fields and wrong types, every problem at once', async () => {
      const { agent } = await create();
      await expect422(agent.id, { colour: 'red', name: 42, isActive: 'false', enabledSkills: 'web', metadata: [], createdAt: 'now' }, [
        entry(['colour'], 'extra_forbidden'),
        entry(['createdAt'], 'extra_forbidden'),
        entry(['name'], 'string_type'),
        entry(['enabledSkills'], 'list_type'),
        entry(['metadata'], 'dict_type'),
        entry(['isActive'], 'bool_type'),
      ]);
    });

    it('refuses an unknown model and bad values, every problem at once', async () => {
      const { agent } = await create();
      await expect422(agent.id, { model: 'gpt-nothing', description: 'd'.repeat(2_001), enabledSkills: ['Bad Skill'], deepResearchModel: 'gemini-3-pro-preview' }, [
        entry(['description'], 'string_too_long'),
        entry(['model'], 'unknown_model'),
        entry(['enabledSkills', 0], 'string_pattern_mismatch'),
        entry(['deepResearchModel'], 'skill_required'),
      ]);
    });

    it('lists the value rules of the well-shaped fields along with the shape problems, as POST does', async () => {
      const { agent } = await create({ enabledSkills: ['deep_research'] });
      await expect422(agent.id, { name: 42, description: 'd'.repeat(2_001) }, [entry(['name'], 'string_type'), entry(['description'], 'string_too_long')]);
      await expect422(agent.id, { name: null, description: 42, reasoningEffort: 'extreme' }, [
        entry(['description'], 'string_type'),
        entry(['name'], 'null_not_allowed'),
        entry(['reasoningEffort'], 'enum'),
      ]);
      // What depends on the stored agent waits for it: its deep_research skill makes this model valid.
      await expect422(agent.id, { isActive: 'yes', deepResearchModel: 'gemini-3-flash-preview', metadata: { a: null } }, [entry(['isActive'], 'bool_type')]);
    });

    it('refuses NUL characters and prototype keys before PostgreSQL sees them', async () => {
      const { agent } = await create();
      await expect422(agent.id, { description: 'a\u0000b' }, [entry(['description'], 'string_unicode')]);
      const raw = '{"metadata":{"__proto__":{"polluted":true}}}';
      const before = await stored(agent.id);
      const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${agent.id}`, { tenant, raw, headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toEqual([entry(['metadata', '__proto__'], 'forbidden_key')]);
      expect(await stored(agent.id)).toEqual(before);
    });

    it('refuses a body that is not an object', async () => {
      const { agent } = await create();
      for (const body of [[], 'text', 42, null]) {
        const answer = await patch(agent.id, body);
        expect([body, answer.status, answer.body.detail]).toEqual([body, 422, [entry([], 'model_attributes_type')]]);
      }
    });
  });

  describe('403, changing nothing', () => {
    it('refuses a key without agents:write', async () => {
      const { agent } = await create();
      const reader = await t.tenants.create({ workspaceId: tenant.workspaceId, scopes: ['agents:read'] });
      const before = await stored(agent.id);
      const answer = await patch(agent.id, { name: 'No' }, { as: reader });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:write', code: 'insufficient_scope' });
      expect(await stored(agent.id)).toEqual(before);
    });

    it('locks a model above the workspace tier', async () => {
      const { agent } = await create();
      const before = await stored(agent.id);
      const answer = await patch(agent.id, { model: 'claude-opus-4-6' });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'The model claude-opus-4-6 needs the pro tier or above', code: 'model_locked' });
      expect(await stored(agent.id)).toEqual(before);
    });

    it('refuses an external provider the workspace has not connected', async () => {
      const team = await t.tenants.create({ tier: 'team' });
      const { agent } = await create({}, team);
      const answer = await patch(agent.id, { model: 'external:openai:gpt-5' }, { as: team });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'The workspace has not connected the external provider openai', code: 'provider_not_connected' });
    });

    it.each([
      ['isDefault', { isDefault: true }],
      ['isSystem', { isSystem: true }],
    ])('refuses %s to a non-internal key (internal_only)', async (_, body) => {
      const { agent } = await create();
      const before = await stored(agent.id);
      const answer = await patch(agent.id, body);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'Only an internal key may change isDefault or isSystem', code: 'internal_only' });
      expect(await stored(agent.id)).toEqual(before);
    });

    it('refuses a non-internal key to clear the flags an internal key set', async () => {
      const service = await t.tenants.create({ scopes: [...INTERNAL] });
      const { agent } = await create({ isDefault: true, isSystem: true }, service);
      const colleague = await t.tenants.create({ workspaceId: service.workspaceId, projectId: service.projectId });
      for (const body of [{ isDefault: false }, { isSystem: false }]) {
        const answer = await patch(agent.id, body, { as: colleague });
        expect([body, answer.status, answer.body.code]).toEqual([body, 403, 'internal_only']);
      }
      expect((await stored(agent.id, service.projectId)).row).toMatchObject({ is_default: true, is_system: true, revision: 1 });
    });
  });

  describe('404', () => {
    it('answers an unknown id, a malformed id and a deleted agent', async () => {
      const { agent } = await create();
      expect((await call(t.baseUrl, 'DELETE', `/v1/agents/${agent.id}`, { tenant })).status).toBe(200);
      const before = await stored(agent.id);
      for (const id of ['no-such-agent', agent.id, '-bad-id', 'a'.repeat(65)]) {
        const answer = await patch(id, { name: 'x' });
        expect([id, answer.status, answer.body]).toEqual([id, 404, errorBody(404, `Agent ${id.slice(0, 64)} not found`, 'agent_not_found')]);
      }
      expect(await stored(agent.id)).toEqual(before);
    });

    it('answers 404 before 412 for an unknown agent', async () => {
      const answer = await patch('no-such-agent', { name: 'x' }, { headers: { 'if-match': '"stale-1"' } });
      expect(answer.status).toBe(404);
    });
  });

  describe('If-Match', () => {
    it('applies the change when If-Match names the current state', async () => {
      const { agent, etag } = await create();
      const exact = await patch(agent.id, { description: 'exact' }, { headers: { 'if-match': etag } });
      expect(exact.status).toBe(200);
      const listed = await patch(agent.id, { description: 'listed' }, { headers: { 'if-match': `"other-9", ${exact.headers.get('etag')}` } });
      expect(listed.status).toBe(200);
      const any = await patch(agent.id, { description: 'any' }, { headers: { 'if-match': '*' } });
      expect(any.status).toBe(200);
      expect(new Set([etag, exact.headers.get('etag'), listed.headers.get('etag'), any.headers.get('etag')]).size).toBe(4);
      expect((await stored(agent.id)).row).toMatchObject({ description: 'any', revision: 4, version: '1.0.3' });
    });

    it('answers 412 to a stale, weak or malformed ETag, and changes nothing', async () => {
      const { agent, etag: stale } = await create();
      const changed = await patch(agent.id, { description: 'moved on' });
      const current = changed.headers.get('etag')!;
      const before = await stored(agent.id);

      for (const header of [stale, `W/${current}`, 'garbage', '"nope"']) {
        const answer = await patch(agent.id, { description: 'lost' }, { headers: { 'if-match': header } });
        expect([header, answer.status, answer.body]).toEqual([
          header, 412, errorBody(412, `Agent ${agent.id} has changed since that ETag: fetch it again`, 'precondition_failed'),
        ]);
      }
      expect(await stored(agent.id)).toEqual(before);
    });

    it('gives exactly one of 8 concurrent PATCHes with the same If-Match a 200, the rest 412 (3 rounds)', async () => {
      const { agent, etag: first } = await create();
      let etag = first;
      for (let round = 1; round <= 3; round++) {
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => patch(agent.id, { description: `round ${round} writer ${i}` }, { headers: { 'if-match': etag } })),
        );

        expect([round, answers.map((answer) => answer.status).sort()]).toEqual([round, [200, ...Array(7).fill(412)]]);
        const winner = answers.find((answer) => answer.status === 200)!;
        for (const loser of answers.filter((answer) => answer.status === 412)) expect(loser.body.code).toBe('precondition_failed');
        const { row, versions } = await stored(agent.id);
        expect(row).toMatchObject({ description: winner.body.agent.description, revision: round + 1, version: `1.0.${round}` });
        // Exactly one new version per round, recording the winner's change.
        expect(versions.map((v: { number: number; version: string }) => [v.number, v.version])).toEqual(
          Array.from({ length: round + 1 }, (_, i) => [i + 1, `1.0.${i}`]),
        );
        expect(versions[round].configuration.description).toBe(winner.body.agent.description);
        etag = winner.headers.get('etag')!;
      }
    });
  });

  describe('concurrent PATCHes without If-Match', () => {
    it('serialises them: no lost update, versions 1.0.1 to 1.0.10 each once', async () => {
      const { agent } = await create();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => patch(agent.id, { description: `writer ${i}`, metadata: { [`key${i}`]: i } })),
      );

      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
      expect(answers.map((answer) => answer.body.agent.version).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `1.0.${i + 1}`).sort(),
      );
      const final = await get(agent.id);
      expect(final.metadata).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`key${i}`, i])));
      expect(final.version).toBe('1.0.10');

      const { row, versions } = await stored(agent.id);
      expect(row.revision).toBe(11);
      expect(versions.map((v: { number: number; version: string }) => [v.number, v.version])).toEqual([
        [1, '1.0.0'],
        ...Array.from({ length: 10 }, (_, i) => [i + 2, `1.0.${i + 1}`]),
      ]);
      // The last version records the description the agent ended with.
      expect(versions[10].configuration.description).toBe(final.description);
      // Each answer showed every key written before it: each writer saw the one before.
      const seen = answers.map((answer) => Object.keys(answer.body.agent.metadata).length).sort((a, b) => a - b);
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    });
  });

  describe('401, 400, 413, 415', () => {
    let id: string;

    beforeAll(async () => {
      id = (await create()).agent.id;
    });

    it('refuses a request without a key', async () => {
      const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { body: { name: 'x' } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body.code).toBe('unauthorized');
    });

    it('answers 400 to malformed JSON', async () => {
      const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, raw: '{"name":', headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ detail: 'The request body is not valid JSON', code: 'malformed_json' });
    });

    it('answers 415 to a body that is not JSON', async () => {
      const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, raw: '{"name":"x"}', headers: { 'content-type': 'text/plain' } });
      expect(answer.status).toBe(415);
      expect(answer.body).toMatchObject({ detail: 'The request body must be application/json (charset utf-8)', code: 'unsupported_media_type' });
    });

    it('answers 413 to a body over 1 MiB', async () => {
      const answer = await patch(id, { instructions: 'x'.repeat(1024 * 1024) });
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ detail: 'The request body is larger than 1 MiB', code: 'body_too_large' });
      expect((await stored(id)).row.revision).toBe(1);
    });
  });
});
