import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

describe('POST /v1/agents', () => {
  let t: TestApp;
  let tenant: Tenant;
  const post = (body: unknown, as: Tenant = tenant, headers: Record<string, string> = {}) =>
    call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body, headers });
  const agentCount = async (projectId = tenant.projectId) =>
    Number((await t.dataSource.query('SELECT count(*) FROM agents WHERE project_id = $1', [projectId]))[0].count);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'free' });
  });
  afterAll(() => t.close());

  describe('201', () => {
    it('creates the agent with the defaults of the contract and a Location', async () => {
      const answer = await post(agentBody({ name: '  Support bot  ' }));

      expect(answer.status).toBe(201);
      const agent = answer.body.agent;
      expect(answer.headers.get('location')).toBe(`/v1/agents/${agent.id}`);
      expect(agent).toEqual({
        id: expect.stringMatching(/^agt_[A-Za-z0-9_-]{22}$/),
        userId: tenant.userId,
        projectId: tenant.projectId,
        name: 'Support bot',
        description: null,
        model: 'claude-sonnet-4-5',
        instructions: null,
        binary: null,
        reasoningEffort: 'medium',
        enabledSkills: [],
        deepResearchModel: null,
        isDefault: false,
        isSystem: false,
        isActive: true,
        metadata: {},
        config: {},
        version: '1.0.0',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: agent.createdAt,
        lastRunAt: null,
      });
    });

    it('stores every field it was given, as given', async () => {
      const body = agentBody({
        id: 'research.bot-1',
        description: 'Finds things',
        model: 'gemini-3-flash',
        instructions: 'Be brief. ✓ 🎉',
        binary: { path: '/usr/bin/claude', args: ['--verbose', '-p'] },
        reasoningEffort: 'minimal',
        enabledSkills: ['deep_research', 'web-search'],
        deepResearchModel: 'gemini-3-pro-preview',
        metadata: { team: 'research', nested: { depth: [1, 2, { three: true }] } },
        config: { temperature: 0.2 },
        version: '2.1.0-beta.1',
        user_id: tenant.userId,
      });
      const answer = await post(body);

      expect(answer.status).toBe(201);
      const { createdAt, updatedAt, ...agent } = answer.body.agent;
      expect(agent).toEqual({
        id: 'research.bot-1', userId: tenant.userId, projectId: tenant.projectId, name: 'Support bot',
        description: 'Finds things', model: 'gemini-3-flash', instructions: 'Be brief. ✓ 🎉',
        binary: { path: '/usr/bin/claude', args: ['--verbose', '-p'] }, reasoningEffort: 'minimal',
        enabledSkills: ['deep_research', 'web-search'], deepResearchModel: 'gemini-3-pro-preview',
        isDefault: false, isSystem: false, isActive: true,
        metadata: { team: 'research', nested: { depth: [1, 2, { three: true }] } },
        config: { temperature: 0.2 }, version: '2.1.0-beta.1', lastRunAt: null,
      });
      const [row] = await t.dataSource.query('SELECT * FROM agents WHERE project_id = $1 AND id = $2', [tenant.projectId, 'research.bot-1']);
      expect(row.instructions).toBe('Be brief. ✓ 🎉');
      expect(row.execution_binary).toEqual({ path: '/usr/bin/claude', args: ['--verbose', '-p'] });
      expect(row.created_at.toISOString()).toBe(createdAt);
      expect(updatedAt).toBe(createdAt);
    });

    it('uses the default effort of each model when none is given', async () => {
      const pro = await t.tenants.create({ tier: 'pro' });
      const expected: Record<string, string> = {
        'claude-opus-4-6': 'high', 'claude-sonnet-4-5': 'medium', 'claude-haiku-4-5': 'low',
        'gemini-3-flash': 'high', 'gemini-3-1-pro': 'high',
      };
      for (const [model, effort] of Object.entries(expected)) {
        const answer = await post(agentBody({ model }), pro);
        expect([model, answer.status, answer.body.agent.reasoningEffort]).toEqual([model, 201, effort]);
      }
    });

    it('accepts the key as X-API-Key, as the ACP API sends it', async () => {
      const answer = await call(t.baseUrl, 'POST', '/v1/agents', { body: agentBody(), headers: { 'x-api-key': tenant.token } });
      expect(answer.status).toBe(201);
    });

    it('takes null for an optional field as omitted', async () => {
      const answer = await post(agentBody({ id: null, description: null, metadata: null, config: null, version: null }));
      expect(answer.status).toBe(201);
      expect(answer.body.agent).toMatchObject({ description: null, metadata: {}, config: {}, version: '1.0.0' });
    });
  });

  describe('401', () => {
    const unauthorized = [
      ['no key', {}],
      ['a malformed header', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['an unknown key', { authorization: 'Bearer agk_forged0000000000000000000000000000000000' }],
      ['an overlong key', { authorization: `Bearer ${'a'.repeat(5_000)}` }],
    ] as const;

    it.each(unauthorized)('refuses %s with WWW-Authenticate: Bearer and writes nothing', async (_, headers) => {
      const before = await agentCount();
      const answer = await call(t.baseUrl, 'POST', '/v1/agents', { body: agentBody(), headers: { ...headers } });

      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toMatchObject({ detail: expect.any(String), code: 'unauthorized' });
      expect(await agentCount()).toBe(before);
    });

    it('refuses a revoked key', async () => {
      const doomed = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId });
      expect((await post(agentBody(), doomed)).status).toBe(201);
      await t.tenants.revoke(doomed);

      const answer = await post(agentBody(), doomed);
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('unauthorized');
    });

    it('refuses an expired key', async () => {
      const expired = await t.tenants.create({ workspaceId: tenant.workspaceId, expiresAt: new Date(Date.now() - 1_000) });
      const answer = await post(agentBody(), expired);
      expect(answer.status).toBe(401);
      expect(answer.body.detail).toBe('Expired API key');
    });

    it('answers 401 before looking at the body', async () => {
      const answer = await call(t.baseUrl, 'POST', '/v1/agents', { body: { nonsense: true } });
      expect(answer.status).toBe(401);
    });
  });

  describe('403', () => {
    it('refuses a key without agents:write', async () => {
      const reader = await t.tenants.create({ workspaceId: tenant.workspaceId, scopes: ['agents:read'] });
      const answer = await post(agentBody(), reader);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:write', code: 'insufficient_scope' });
    });

    it('locks a model above the workspace tier (model_locked)', async () => {
      const answer = await post(agentBody({ model: 'claude-opus-4-6' }));
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'The model claude-opus-4-6 needs the pro tier or above', code: 'model_locked' });
    });

    it.each([
      ['isDefault', { isDefault: true }],
      ['isSystem', { isSystem: true }],
      ['another user', { user_id: 'usr_someone_else' }],
    ])('refuses %s to a non-internal key (internal_only)', async (_, fields) => {
      const before = await agentCount();
      const answer = await post(agentBody(fields));
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('internal_only');
      expect(await agentCount()).toBe(before);
    });

    it('lets a non-internal key set the flags to false', async () => {
      const answer = await post(agentBody({ isDefault: false, isSystem: false }));
      expect(answer.status).toBe(201);
    });
  });

  describe('external models', () => {
    const external = 'external:openai:gpt-5%2Fmini';

    it('creates one in a team workspace that connected the provider, with any effort', async () => {
      const team = await t.tenants.create({ tier: 'team', providers: [{ type: 'openai', models: ['gpt-5/mini'] }] });
      const answer = await post(agentBody({ model: external, reasoningEffort: 'minimal' }), team);
      expect(answer.status).toBe(201);
      expect(answer.body.agent).toMatchObject({ model: external, reasoningEffort: 'minimal' });
    });

    it('refuses a provider the workspace has not connected', async () => {
      const team = await t.tenants.create({ tier: 'enterprise', providers: [{ type: 'mistral', models: [] }] });
      const answer = await post(agentBody({ model: external }), team);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('provider_not_connected');
    });

    it('locks external models below the team tier', async () => {
      const pro = await t.tenants.create({ tier: 'pro', providers: [{ type: 'openai', models: [] }] });
      const answer = await post(agentBody({ model: external }), pro);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('model_locked');
    });

    it.each(['external:openai:', 'external:openai:%zz', 'external:openai:%C3', 'external:OpenAI:gpt', 'external:openai:a b'])(
      'refuses the malformed %s as a 422 on model',
      async (model) => {
        const answer = await post(agentBody({ model }));
        expect(answer.status).toBe(422);
        expect(answer.body.detail).toEqual([{ loc: ['body', 'model'], msg: expect.any(String), type: 'unknown_model' }]);
      },
    );
  });

  describe('409 and the custom id', () => {
    it('refuses an id the project already has', async () => {
      expect((await post(agentBody({ id: 'taken' }))).status).toBe(201);
      const answer = await post(agentBody({ id: 'taken', name: 'Other' }));
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ detail: 'An agent with the id taken already exists in this project', code: 'agent_id_conflict' });
    });

    it('lets another project use the same id', async () => {
      const other = await t.tenants.create();
      expect((await post(agentBody({ id: 'shared-id' }))).status).toBe(201);
      const answer = await post(agentBody({ id: 'shared-id' }), other);
      expect(answer.status).toBe(201);
      expect(answer.body.agent.projectId).toBe(other.projectId);
    });

    it('gives exactly one 201 to concurrent creates of the same id', async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, () => post(agentBody({ id: 'race' }))));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([201, ...Array(11).fill(409)]);
      const rows = await t.dataSource.query('SELECT count(*) FROM agents WHERE project_id = $1 AND id = $2', [tenant.projectId, 'race']);
      expect(Number(rows[0].count)).toBe(1);
    });
  });

  describe('the default agent (internal keys)', () => {
    let service: Tenant;
    const defaults = async () =>
      (await t.dataSource.query('SELECT id FROM agents WHERE project_id = $1 AND is_default ORDER BY id', [service.projectId])).map(
        (row: { id: string }) => row.id,
      );

    beforeAll(async () => {
      service = await t.tenants.create({ tier: 'team', scopes: ['agents:read', 'agents:write', 'internal'] });
    });

    it('moves the flag to the new default agent', async () => {
      expect((await post(agentBody({ id: 'first', isDefault: true }), service)).status).toBe(201);
      expect(await defaults()).toEqual(['first']);
      const answer = await post(agentBody({ id: 'second', isDefault: true, isSystem: true }), service);
      expect(answer.status).toBe(201);
      expect(answer.body.agent).toMatchObject({ isDefault: true, isSystem: true });
      expect(await defaults()).toEqual(['second']);
    });

    it('keeps one default under concurrent default creates', async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => post(agentBody({ id: `concurrent-${i}`, isDefault: true }), service)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
      expect(await defaults()).toHaveLength(1);
    });

    it('leaves the flag where it was when a new default is refused for a taken id, and records nothing of it', async () => {
      expect((await post(agentBody({ id: 'holder', isDefault: true }), service)).status).toBe(201);
      expect((await post(agentBody({ id: 'taken' }), service)).status).toBe(201);
      const events = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM agent_events WHERE project_id = $1', [service.projectId]))[0].n);
      const before = await events();
      // The move clears holder's flag first; the refused insert must take that back with it.
      const answer = await post(agentBody({ id: 'taken', name: 'Taken id', isDefault: true }), service);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('agent_id_conflict');
      expect(await defaults()).toEqual(['holder']);
      expect(await events()).toBe(before);
    });

    it('lets an internal key create an agent for another user', async () => {
      const answer = await post(agentBody({ user_id: 'usr_other' }), service);
      expect(answer.status).toBe(201);
      expect(answer.body.agent.userId).toBe('usr_other');
    });
  });

  describe('422', () => {
    const expect422 = async (body: unknown, detail: unknown[]) => {
      const before = await agentCount();
      const answer = await post(body);
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toEqual(detail);
      expect(await agentCount()).toBe(before);
    };
    const entry = (loc: (string | number)[], type: string) => ({ loc: ['body', ...loc], msg: expect.any(String), type });

    it('lists every problem of the request at once', async () => {
      await expect422(
        { name: 42, model: 'gpt-nothing', reasoningEffort: 'extreme', colour: 'blue', enabledSkills: ['Bad Skill'], deepResearchModel: 'gemini-3-pro-preview' },
        [
          entry(['colour'], 'extra_forbidden'),
          entry(['name'], 'string_type'),
          entry(['model'], 'unknown_model'),
          entry(['reasoningEffort'], 'enum'),
          entry(['enabledSkills', 0], 'string_pattern_mismatch'),
          entry(['deepResearchModel'], 'skill_required'),
        ],
      );
    });

    it('requires a name (an omitted model is the workspace default)', async () => {
      await expect422({}, [entry(['name'], 'missing')]);
    });

    it('never coerces types', async () => {
      await expect422(agentBody({ isDefault: 'false', isSystem: 0, enabledSkills: 'deep_research', metadata: [], binary: 'claude' }), [
        entry(['binary'], 'dict_type'),
        entry(['enabledSkills'], 'list_type'),
        entry(['metadata'], 'dict_type'),
        entry(['isDefault'], 'bool_type'),
        entry(['isSystem'], 'bool_type'),
      ]);
    });

    it('refuses a body that is not an object', async () => {
      for (const body of [[], 'text', 42, null]) {
        const answer = await post(body);
        expect([body, answer.status, answer.body.detail[0].loc]).toEqual([body, 422, ['body']]);
      }
    });

    it.each([
      ['a blank name', { name: '   ' }, ['name'], 'string_length'],
      ['a 256-character name', { name: 'n'.repeat(256) }, ['name'], 'string_length'],
      ['an id with a bad first character', { id: '-x' }, ['id'], 'string_pattern_mismatch'],
      ['a 65-character id', { id: 'a'.repeat(65) }, ['id'], 'string_length'],
      ['a long description', { description: 'd'.repeat(2_001) }, ['description'], 'string_too_long'],
      ['long instructions', { instructions: 'i'.repeat(100_001) }, ['instructions'], 'string_too_long'],
      ['an effort the model lacks', { model: 'claude-haiku-4-5', reasoningEffort: 'minimal' }, ['reasoningEffort'], 'unsupported_reasoning_effort'],
      ['deepResearchModel without the skill', { deepResearchModel: 'gemini-3-flash-preview' }, ['deepResearchModel'], 'skill_required'],
      ['an unknown deepResearchModel', { enabledSkills: ['deep_research'], deepResearchModel: 'gpt' }, ['deepResearchModel'], 'enum'],
      ['a duplicate skill', { enabledSkills: ['a', 'a'] }, ['enabledSkills', 1], 'duplicate_item'],
      ['51 skills', { enabledSkills: Array.from({ length: 51 }, (_, i) => `s${i}`) }, ['enabledSkills'], 'too_long'],
      ['an empty binary path', { binary: { path: '' } }, ['binary', 'path'], 'string_length'],
      ['a binary without path', { binary: { args: [] } }, ['binary', 'path'], 'missing'],
      ['an unknown binary field', { binary: { path: '/x', env: {} } }, ['binary', 'env'], 'extra_forbidden'],
      ['65 binary args', { binary: { path: '/x', args: Array(65).fill('a') } }, ['binary', 'args'], 'too_long'],
      ['metadata over 16 KiB', { metadata: { blob: 'x'.repeat(16 * 1024) } }, ['metadata'], 'too_large'],
      ['65 metadata keys', { metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) }, ['metadata'], 'too_many_keys'],
      ['config over 64 KiB', { config: { blob: 'x'.repeat(64 * 1024) } }, ['config'], 'too_large'],
      ['a version that is not semver', { version: 'v1' }, ['version'], 'invalid_semver'],
      ['an empty user_id', { user_id: '' }, ['user_id'], 'string_length'],
    ])('refuses %s', async (_, fields, loc, type) => {
      await expect422(agentBody(fields), [entry(loc as (string | number)[], type as string)]);
    });

    it.each([
      ['a NUL in a field', { name: 'a\u0000b' }, ['name']],
      ['a NUL deep in metadata', { metadata: { a: ['ok', 'x\u0000'] } }, ['metadata', 'a', 1]],
      ['a NUL in a key', { metadata: { 'k\u0000': 1 } }, ['metadata', 'k\u0000']],
      ['an unpaired surrogate', { instructions: 'a\ud800b' }, ['instructions']],
    ])('refuses %s before PostgreSQL sees it', async (_, fields, loc) => {
      await expect422(agentBody(fields), [entry(loc, 'string_unicode')]);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key anywhere, without touching a prototype', async (key) => {
      const raw = `{"name":"x","model":"claude-sonnet-4-5","metadata":{"a":{"${key}":{"polluted":true}}}}`;
      const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant, raw, headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toEqual([entry(['metadata', 'a', key], 'forbidden_key')]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses nesting deeper than 32 levels in metadata', async () => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 40; i++) deep = { d: deep };
      const answer = await post(agentBody({ metadata: deep }));
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toHaveLength(1);
      expect(answer.body.detail[0].type).toBe('too_deep');
    });
  });

  describe('malformed requests', () => {
    const raw = (payload: string | Buffer, contentType?: string) =>
      call(t.baseUrl, 'POST', '/v1/agents', { tenant, raw: payload, headers: contentType ? { 'content-type': contentType } : {} });

    it.each(['{"name":', '', 'nul', '{"a":1}}'])('answers 400 to the malformed JSON %j', async (payload) => {
      const answer = await raw(payload, 'application/json');
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ detail: 'The request body is not valid JSON', code: 'malformed_json' });
    });

    it.each([
      ['text/plain', '{"name":"a","model":"claude-sonnet-4-5"}'],
      ['application/x-www-form-urlencoded', 'name=a&model=claude-sonnet-4-5'],
      ['application/json; charset=latin1', '{"name":"a","model":"claude-sonnet-4-5"}'],
    ])('answers 415 to a %s body', async (type, payload) => {
      const answer = await raw(payload, type);
      expect(answer.status).toBe(415);
      expect(answer.body.code).toBe('unsupported_media_type');
    });

    it('accepts application/json with charset utf-8', async () => {
      const answer = await raw(JSON.stringify(agentBody()), 'application/json; charset=utf-8');
      expect(answer.status).toBe(201);
    });

    it('answers 413 to a body over 1 MiB', async () => {
      const answer = await raw(JSON.stringify(agentBody({ instructions: 'x'.repeat(1024 * 1024) })), 'application/json');
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ detail: 'The request body is larger than 1 MiB', code: 'body_too_large' });
    });

    it('answers 404 in the contract shape for an unknown route', async () => {
      const answer = await call(t.baseUrl, 'GET', '/v1/nothing-here', { tenant });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ detail: 'Not found', code: 'not_found' });
    });
  });
});
