import { agentBody, call } from '../../support/http.js';
import { feedEnd, readFeed, type FeedEvent } from '../../support/events.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import type { Tenant } from '../../support/tenants.js';

const INTERNAL = ['agents:read', 'agents:write', 'internal'] as const;

describe('change events: one per stored change, in the same transaction', () => {
  let t: TestApp;
  let tenant: Tenant;
  let service: Tenant;
  let counter = 0;
  const newId = () => `agent-${++counter}`;
  const create = async (fields: Record<string, unknown> = {}, as: Tenant = tenant) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody({ id: newId(), ...fields }) });
    expect(answer.status).toBe(201);
    return answer.body.agent as Record<string, unknown> & { id: string };
  };
  const get = async (id: string, as: Tenant = tenant) => (await call(t.baseUrl, 'GET', `/v1/agents/${id}`, { tenant: as })).body.agent;
  /** What the route did to the feed: every event after the feed's end before `act`. */
  const eventsOf = async (act: () => Promise<unknown>, as: Tenant = tenant): Promise<FeedEvent[]> => {
    const end = await feedEnd(t, as);
    await act();
    return readFeed(t, as, {}, end);
  };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'pro' });
    service = await t.tenants.create({ tier: 'pro', scopes: [...INTERNAL], workspaceId: tenant.workspaceId, projectId: tenant.projectId });
  });
  afterAll(() => t.close());

  it('POST: agent.created, the CloudEvent envelope and the agent exactly as GET returns it', async () => {
    let created: Record<string, unknown> = {};
    const events = await eventsOf(async () => (created = await create({ metadata: { team: 'billing' } })));
    expect(events).toEqual([
      {
        specversion: '1.0',
        id: expect.stringMatching(/^evt_[A-Za-z0-9_-]{22}$/),
        source: '/v1/agents',
        type: 'agent.created',
        subject: created.id,
        time: created.createdAt,
        datacontenttype: 'application/json',
        projectid: tenant.projectId,
        workspaceid: tenant.workspaceId,
        position: expect.stringMatching(/^\d{18}$/),
        data: { agent: await get(created.id as string), changedFields: [], cause: 'create', actor: { userId: tenant.userId, keyId: tenant.keyId } },
      },
    ]);
  });

  it('PATCH: agent.updated with the fields that changed (cause patch); the agent as GET returns it after', async () => {
    const { id } = await create();
    const events = await eventsOf(() => call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { model: 'claude-opus-4-6', reasoningEffort: 'low', metadata: { k: 'v' } } }));
    expect(events.map((event) => [event.type, event.subject, event.data.cause, event.data.changedFields])).toEqual([
      ['agent.updated', id, 'patch', ['model', 'reasoningEffort', 'metadata']],
    ]);
    const agent = await get(id);
    expect(events[0]!.data.agent).toEqual(agent);
    expect(events[0]!.time).toBe(agent.updatedAt);
    expect(events[0]!.data).not.toHaveProperty('hard');
  });

  it('PATCH that changes nothing, and every refused request, leave no event', async () => {
    const { id } = await create({ description: 'Same' });
    const events = await eventsOf(async () => {
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { description: 'Same' } })).status).toBe(200);
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { name: '' } })).status).toBe(422);
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { name: 'x' }, headers: { 'if-match': '"stale"' } })).status).toBe(412);
      expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { isDefault: true } })).status).toBe(403);
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id }) })).status).toBe(409);
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ model: 'nope' }) })).status).toBe(422);
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ isSystem: true }) })).status).toBe(403);
      expect((await call(t.baseUrl, 'POST', `/v1/agents/${id}/versions/9.9.9/restore`, { tenant })).status).toBe(404);
      expect((await call(t.baseUrl, 'DELETE', '/v1/agents/nope', { tenant })).status).toBe(404);
    });
    expect(events).toEqual([]);
  });

  it('restore: agent.updated, cause restore, with the restored fields', async () => {
    const { id } = await create({ instructions: 'First' });
    await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { instructions: 'Second' } });
    const events = await eventsOf(() => call(t.baseUrl, 'POST', `/v1/agents/${id}/versions/1.0.0/restore`, { tenant }));
    expect(events.map((event) => [event.type, event.data.cause, event.data.changedFields, event.data.agent.version])).toEqual([
      ['agent.updated', 'restore', ['instructions'], '1.0.2'],
    ]);
    expect(events[0]!.data.agent).toEqual(await get(id));
  });

  it('a new default takes the flag: two events, the old default first (cause default_moved)', async () => {
    const old = await create({ isDefault: true }, service);
    const next = await create({}, service);
    const events = await eventsOf(() => call(t.baseUrl, 'PATCH', `/v1/agents/${next.id}`, { tenant: service, body: { isDefault: true } }));
    expect(events.map((event) => [event.subject, event.data.cause, event.data.changedFields, event.data.agent.isDefault])).toEqual([
      [old.id, 'default_moved', ['isDefault'], false],
      [next.id, 'patch', ['isDefault'], true],
    ]);
    expect(events[0]!.data.agent).toEqual(await get(old.id));
    expect(events[0]!.data.actor).toEqual({ userId: service.userId, keyId: service.keyId });
  });

  it('a default created takes the flag: the old default\'s event, then the created one', async () => {
    const old = await create({ isDefault: true }, service);
    let created: { id: string } = { id: '' };
    const events = await eventsOf(async () => (created = await create({ isDefault: true }, service)));
    expect(events.map((event) => [event.type, event.subject, event.data.cause])).toEqual([
      ['agent.updated', old.id, 'default_moved'],
      ['agent.created', created.id, 'create'],
    ]);
  });

  it.each([
    ['soft', '', false],
    ['hard', '?hard=true', true],
  ])('DELETE (%s): agent.deleted with the last state and hard', async (_mode, query, hard) => {
    const { id } = await create();
    const last = await get(id);
    const events = await eventsOf(() => call(t.baseUrl, 'DELETE', `/v1/agents/${id}${query}`, { tenant }));
    expect(events.map((event) => [event.type, event.subject, event.data.cause, event.data.changedFields, event.data.hard])).toEqual([
      ['agent.deleted', id, 'delete', [], hard],
    ]);
    expect(events[0]!.data.agent).toEqual(last);
  });

  it('an idempotent retry is answered from the first answer and writes no second event', async () => {
    const headers = { 'idempotency-key': `retry-${newId()}` };
    const events = await eventsOf(async () => {
      const body = agentBody({ id: newId() });
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body, headers })).status).toBe(201);
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body, headers })).status).toBe(201);
    });
    expect(events.map((event) => event.type)).toEqual(['agent.created']);
  });

  it('events of one agent come in the order of its changes, positions strictly increasing', async () => {
    const { id } = await create();
    const events = await eventsOf(async () => {
      for (let n = 1; n <= 5; n++) await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { description: `v${n}` } });
    });
    expect(events.map((event) => event.data.agent.description)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
    const positions = events.map((event) => event.position);
    expect([...positions].sort()).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
  });
});
