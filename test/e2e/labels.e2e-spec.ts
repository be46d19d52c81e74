import { feedEnd, readFeed } from '../support/events.js';
import { agentBody, call, errorBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

describe('Labels', () => {
  let t: TestApp;
  let tenant: Tenant;
  let counter = 0;

  /** A new agent with versions 1.0.0, 1.0.1 and 1.0.2. */
  const create = async (as: Tenant = tenant) => {
    const id = `labelled-${++counter}`;
    expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody({ id }) })).status).toBe(201);
    for (const description of ['second', 'third']) {
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant: as, body: { description } })).status).toBe(200);
    }
    return id;
  };
  const put = (id: string, label: string, body: unknown, options: { as?: Tenant; headers?: Record<string, string> } = {}) =>
    call(t.baseUrl, 'PUT', `/v1/agents/${id}/labels/${label}`, { tenant: options.as ?? tenant, body, headers: options.headers });
  const remove = (id: string, label: string, options: { as?: Tenant; headers?: Record<string, string> } = {}) =>
    call(t.baseUrl, 'DELETE', `/v1/agents/${id}/labels/${label}`, { tenant: options.as ?? tenant, headers: options.headers });
  const list = (id: string, query = '', as: Tenant = tenant) => call(t.baseUrl, 'GET', `/v1/agents/${id}/labels${query}`, { tenant: as });
  const rows = (id: string, projectId = tenant.projectId) =>
    t.dataSource.query('SELECT name, version, updated_at FROM agent_labels WHERE project_id = $1 AND agent_id = $2 ORDER BY name', [projectId, id]);
  const agentState = async (id: string) => {
    const answer = await call(t.baseUrl, 'GET', `/v1/agents/${id}`, { tenant });
    return { etag: answer.headers.get('etag'), agent: answer.body.agent };
  };
  const everything = async (id: string) => ({
    labels: await rows(id),
    agent: (await t.dataSource.query('SELECT * FROM agents WHERE project_id = $1 AND id = $2', [tenant.projectId, id]))[0],
    events: (await t.dataSource.query('SELECT count(*)::int AS n FROM agent_events WHERE project_id = $1', [tenant.projectId]))[0].n,
  });

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'pro' });
  });
  afterAll(() => t.close());

  it('creates, moves, lists and deletes a label, without changing the agent or its ETag', async () => {
    const id = await create();
    const before = await agentState(id);

    const created = await put(id, 'production', { version: '1.0.0' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ label: { name: 'production', version: '1.0.0', updatedAt: expect.stringMatching(/Z$/) } });
    const moved = await put(id, 'production', { version: '1.0.2' });
    expect(moved.body.label).toMatchObject({ name: 'production', version: '1.0.2' });
    expect(Date.parse(moved.body.label.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.label.updatedAt));
    expect((await put(id, 'canary_2', { version: '1.0.1' })).status).toBe(200);

    const listed = await list(id);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      object: 'list',
      data: [
        { name: 'canary_2', version: '1.0.1', updatedAt: expect.any(String) },
        { name: 'production', version: '1.0.2', updatedAt: moved.body.label.updatedAt },
      ],
    });
    expect(await rows(id)).toEqual([
      { name: 'canary_2', version: '1.0.1', updated_at: expect.any(Date) },
      { name: 'production', version: '1.0.2', updated_at: new Date(moved.body.label.updatedAt) },
    ]);

    const deleted = await remove(id, 'canary_2');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: true });
    expect((await list(id)).body.data.map((label: { name: string }) => label.name)).toEqual(['production']);

    const after = await agentState(id);
    expect(after).toEqual(before);
  });

  it('answers 200 and records no event for a PUT naming the version the label already has', async () => {
    const id = await create();
    const first = await put(id, 'staging', { version: '1.0.1' });
    const end = await feedEnd(t, tenant);
    const again = await put(id, 'staging', { version: '1.0.1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await readFeed(t, tenant, {}, end)).toEqual([]);
  });

  it('records one agent.updated event (cause label) per move and per delete, with the agent as GET returns it', async () => {
    const id = await create();
    const end = await feedEnd(t, tenant);
    await put(id, 'production', { version: '1.0.0' });
    await put(id, 'production', { version: '1.0.1' });
    await remove(id, 'production');
    const { agent } = await agentState(id);

    const events = await readFeed(t, tenant, {}, end);
    expect(events.map((event) => [event.type, event.subject, event.data.cause, event.data.changedFields, event.data.label])).toEqual([
      ['agent.updated', id, 'label', [], { name: 'production', version: '1.0.0' }],
      ['agent.updated', id, 'label', [], { name: 'production', version: '1.0.1' }],
      ['agent.updated', id, 'label', [], { name: 'production', version: null }],
    ]);
    for (const event of events) {
      expect(event.data.agent).toEqual(agent);
      expect(event.data.actor).toEqual({ userId: tenant.userId, keyId: tenant.keyId });
      expect(event.data.hard).toBeUndefined();
    }
  });

  describe('If-Match', () => {
    it("honours the agent's ETag: a stale one is a 412 that changes nothing, the current one (or *) goes through", async () => {
      const id = await create();
      const stale = (await agentState(id)).etag!;
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { metadata: { moved: true } } })).status).toBe(200);
      await put(id, 'production', { version: '1.0.0' });
      const before = await everything(id);

      for (const answer of [
        await put(id, 'production', { version: '1.0.1' }, { headers: { 'if-match': stale } }),
        await remove(id, 'production', { headers: { 'if-match': stale } }),
      ]) {
        expect(answer.status).toBe(412);
        expect(answer.body).toEqual(errorBody(412, `Agent ${id} has changed since that ETag: fetch it again`, 'precondition_failed'));
      }
      expect(await everything(id)).toEqual(before);

      const current = (await agentState(id)).etag!;
      expect((await put(id, 'production', { version: '1.0.1' }, { headers: { 'if-match': current } })).status).toBe(200);
      // A move left the ETag as it was: the same one still matches.
      expect((await put(id, 'production', { version: '1.0.2' }, { headers: { 'if-match': current } })).status).toBe(200);
      expect((await remove(id, 'production', { headers: { 'if-match': '*' } })).status).toBe(200);
    });
  });

  describe('refusals, changing nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = await create();
      await put(id, 'production', { version: '1.0.0' });
    });

    const expectUnchanged = async (request: () => Promise<{ status: number; body: unknown }>, status: number, body: unknown) => {
      const before = await everything(id);
      const got = await request();
      expect([got.status, got.body]).toEqual([status, body]);
      expect(await everything(id)).toEqual(before);
    };
    const problem = (loc: string[], type: string) => ({ loc, msg: expect.any(String), type });

    it('404 version_not_found for a version the agent does not have', async () => {
      await expectUnchanged(() => put(id, 'production', { version: '9.9.9' }), 404, errorBody(404, `Agent ${id} has no version 9.9.9`, 'version_not_found'));
      await expectUnchanged(() => put(id, 'fresh', { version: '1.0.3' }), 404, errorBody(404, `Agent ${id} has no version 1.0.3`, 'version_not_found'));
    });

    it('404 label_not_found for deleting a label the agent does not have', async () => {
      await expectUnchanged(() => remove(id, 'staging'), 404, errorBody(404, `Agent ${id} has no label staging`, 'label_not_found'));
    });

    it('404 agent_not_found for an unknown agent, whatever the label', async () => {
      for (const answer of [() => put('nowhere', 'production', { version: '1.0.0' }), () => remove('nowhere', 'production'), () => list('nowhere')]) {
        await expectUnchanged(answer, 404, errorBody(404, 'Agent nowhere not found', 'agent_not_found'));
      }
    });

    it('422 for latest, which cannot be set or deleted', async () => {
      for (const answer of [() => put(id, 'latest', { version: '1.0.0' }), () => remove(id, 'latest')]) {
        await expectUnchanged(answer, 422, expect.objectContaining({ code: 'validation_failed', detail: [problem(['path', 'label'], 'label_reserved')] }));
      }
    });

    it.each(['Production', '1abc', '_x', 'a'.repeat(33), 'a.b', 'a%20b', '%C3%A9t%C3%A9'])('422 on ["path","label"] for the label %s', async (label) => {
      for (const answer of [() => put(id, label, { version: '1.0.0' }), () => remove(id, label)]) {
        await expectUnchanged(answer, 422, expect.objectContaining({ detail: [problem(['path', 'label'], 'label_pattern')] }));
      }
    });

    it('accepts the longest and shortest names the pattern allows', async () => {
      for (const label of ['a', `a${'b'.repeat(31)}`, 'a-b_c9']) expect((await put(id, label, { version: '1.0.1' })).status).toBe(200);
      for (const label of ['a', `a${'b'.repeat(31)}`, 'a-b_c9']) expect((await remove(id, label)).status).toBe(200);
    });

    it.each([
      [{ version: 'v1' }, [problem(['body', 'version'], 'invalid_semver')]],
      [{ version: 1 }, [problem(['body', 'version'], 'string_type')]],
      [{}, [problem(['body', 'version'], 'missing')]],
      [{ version: '1.0.0', force: true }, [problem(['body', 'force'], 'extra_forbidden')]],
      [[], [problem(['body'], 'model_attributes_type')]],
    ])('422 on the body %j', async (body, detail) => {
      await expectUnchanged(() => put(id, 'production', body), 422, expect.objectContaining({ detail }));
    });

    it('lists every problem of the path and the body at once', async () => {
      await expectUnchanged(() => put(id, 'latest', { version: 'x' }), 422, expect.objectContaining({
        detail: [problem(['path', 'label'], 'label_reserved'), problem(['body', 'version'], 'invalid_semver')],
      }));
    });

    it('422 for a query parameter on the list', async () => {
      const answer = await list(id, '?limit=5');
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toEqual([problem(['query', 'limit'], 'extra_forbidden')]);
    });

    it('403 without the scope', async () => {
      const reader = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:read'] });
      const writer = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, scopes: ['agents:write'] });
      const writeRefusal = expect.objectContaining({ code: 'insufficient_scope', detail: 'This API key lacks the scope agents:write' });
      await expectUnchanged(() => put(id, 'production', { version: '1.0.1' }, { as: reader }), 403, writeRefusal);
      await expectUnchanged(() => remove(id, 'production', { as: reader }), 403, writeRefusal);
      await expectUnchanged(() => list(id, '', writer), 403, expect.objectContaining({ code: 'insufficient_scope', detail: 'This API key lacks the scope agents:read' }));
      expect((await list(id, '', reader)).status).toBe(200);
    });
  });

  it("keeps another project's agent a 404, and never touches its labels", async () => {
    const stranger = await t.tenants.create();
    const id = await create();
    await put(id, 'production', { version: '1.0.0' });
    const before = await rows(id);
    for (const answer of [await put(id, 'production', { version: '1.0.1' }, { as: stranger }), await remove(id, 'production', { as: stranger }), await list(id, '', stranger)]) {
      expect([answer.status, answer.body]).toEqual([404, errorBody(404, `Agent ${id} not found`, 'agent_not_found')]);
    }
    expect(await rows(id)).toEqual(before);
  });

  it('keeps labels with a soft-deleted agent (hidden) and removes them with a hard delete', async () => {
    const soft = await create();
    await put(soft, 'production', { version: '1.0.1' });
    expect((await call(t.baseUrl, 'DELETE', `/v1/agents/${soft}`, { tenant })).status).toBe(200);
    expect((await list(soft)).status).toBe(404);
    expect((await put(soft, 'production', { version: '1.0.0' })).status).toBe(404);
    expect(await rows(soft)).toHaveLength(1);

    const hard = await create();
    await put(hard, 'production', { version: '1.0.1' });
    await put(hard, 'staging', { version: '1.0.2' });
    expect(await rows(hard)).toHaveLength(2);
    expect((await call(t.baseUrl, 'DELETE', `/v1/agents/${hard}?hard=true`, { tenant })).status).toBe(200);
    expect(await rows(hard)).toEqual([]);
  });

  it('is unique per agent in PostgreSQL: primary key (project_id, agent_id, name), foreign keys cascading from the agent', async () => {
    const [key] = await t.dataSource.query(`
      SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       WHERE c.relname = 'agent_labels' AND i.indisprimary`);
    expect(key.columns).toEqual(['project_id', 'agent_id', 'name']);
    const foreign = await t.dataSource.query(
      `SELECT conname, confdeltype FROM pg_constraint WHERE conrelid = 'agent_labels'::regclass AND contype = 'f' ORDER BY conname`,
    );
    expect(foreign).toEqual([{ conname: 'agent_labels_agent_fk', confdeltype: 'c' }, { conname: 'agent_labels_version_fk', confdeltype: 'c' }]);
    const id = await create();
    await put(id, 'production', { version: '1.0.0' });
    await expect(
      t.dataSource.query(`INSERT INTO agent_labels (project_id, agent_id, name, version, updated_at) VALUES ($1, $2, 'production', '1.0.1', now())`, [tenant.projectId, id]),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('lets concurrent moves of one label all answer 200: one row, the last committed wins, the events in order', async () => {
    const id = `raced-${++counter}`;
    expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id }) })).status).toBe(201);
    const versions = ['1.0.0'];
    for (let i = 1; i <= 11; i++) {
      const answer = await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { description: `change ${i}` } });
      versions.push(answer.body.agent.version);
    }
    const end = await feedEnd(t, tenant);

    const answers = await Promise.all(versions.map((version) => put(id, 'production', { version })));
    expect(answers.map((answer) => answer.status)).toEqual(versions.map(() => 200));
    expect(answers.map((answer) => answer.body.label.version)).toEqual(versions);

    const stored = await rows(id);
    expect(stored).toHaveLength(1);
    const events = await readFeed(t, tenant, { subject: id }, end);
    // Each PUT moved the label (no two named the same version), one event each, in commit order.
    expect(events.map((event) => event.data.label!.version).sort()).toEqual([...versions].sort());
    expect(events.at(-1)!.data.label!.version).toBe(stored[0].version);
    const positions = events.map((event) => event.position);
    expect([...positions].sort()).toEqual(positions);
    const times = events.map((event) => Date.parse(event.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(Date.parse(answers.find((answer) => answer.body.label.version === stored[0].version)!.body.label.updatedAt)).toBe(Math.max(...times));
    expect((await list(id)).body.data).toEqual([{ name: 'production', version: stored[0].version, updatedAt: expect.any(String) }]);
  });
});
