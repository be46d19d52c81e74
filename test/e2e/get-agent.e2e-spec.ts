import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

describe('GET /v1/agents/{id}', () => {
  let t: TestApp;
  let tenant: Tenant;
  const create = async (fields: Record<string, unknown> = {}, as: Tenant = tenant) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody(fields) });
    expect(answer.status).toBe(201);
    return answer;
  };
  const get = (id: string, headers: Record<string, string> = {}, as: Tenant = tenant) =>
    call(t.baseUrl, 'GET', `/v1/agents/${id}`, { tenant: as, headers });
  const patch = (id: string, body: unknown) => call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body });

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create({ tier: 'free' });
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('returns the agent as POST returned it, with the same ETag', async () => {
      const created = await create({ id: 'read-me', description: 'Reads', metadata: { team: 'a' }, enabledSkills: ['deep_research'] });

      const answer = await get('read-me');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ agent: created.body.agent });
      expect(answer.body.agent).toMatchObject({ id: 'read-me', projectId: tenant.projectId, userId: tenant.userId, version: '1.0.0' });
      expect(answer.headers.get('etag')).toMatch(/^"[0-9a-z]+-1"$/);
      expect(answer.headers.get('etag')).toBe(created.headers.get('etag'));
    });

    it('returns an agent of the project that another user of the project created', async () => {
      await create({ id: 'colleague-agent' });
      const colleague = await t.tenants.create({ workspaceId: tenant.workspaceId, projectId: tenant.projectId, userId: 'usr_colleague' });

      const answer = await get('colleague-agent', {}, colleague);
      expect(answer.status).toBe(200);
      expect(answer.body.agent).toMatchObject({ id: 'colleague-agent', userId: tenant.userId });
    });

    it('accepts a key that has agents:read only', async () => {
      await create({ id: 'read-only-view' });
      const reader = await t.tenants.create({ workspaceId: tenant.workspaceId, scopes: ['agents:read'] });
      const answer = await get('read-only-view', {}, reader);
      expect(answer.status).toBe(200);
      expect(answer.body.agent.id).toBe('read-only-view');
    });

    it('changes the ETag whenever the agent changes, and only then', async () => {
      await create({ id: 'etag-moves' });
      const first = (await get('etag-moves')).headers.get('etag');

      const renamed = await patch('etag-moves', { name: 'Renamed' });
      expect(renamed.status).toBe(200);
      const second = (await get('etag-moves')).headers.get('etag');
      expect(second).not.toBe(first);
      expect(renamed.headers.get('etag')).toBe(second);

      // A metadata-only change records no version, but it is a change of the agent.
      expect((await patch('etag-moves', { metadata: { touched: true } })).status).toBe(200);
      const third = (await get('etag-moves')).headers.get('etag');
      expect(third).not.toBe(second);

      // Nothing changed: the same ETag.
      expect((await patch('etag-moves', { name: 'Renamed' })).status).toBe(200);
      expect((await patch('etag-moves', {})).status).toBe(200);
      expect((await get('etag-moves')).headers.get('etag')).toBe(third);
    });
  });

  describe('304 with If-None-Match', () => {
    let etag: string;

    beforeAll(async () => {
      etag = (await create({ id: 'cached' })).headers.get('etag')!;
    });

    it.each([
      ['the current ETag', () => etag],
      ['the current ETag as a weak one', () => `W/${etag}`],
      ['a list holding the current ETag', () => `"stale-0", ${etag}`],
      ['*', () => '*'],
    ])('answers 304 with the ETag and no body to %s', async (_, header) => {
      const answer = await get('cached', { 'if-none-match': header() });
      expect(answer.status).toBe(304);
      expect(answer.headers.get('etag')).toBe(etag);
      expect(answer.body).toBeNull();
    });

    it('answers 200 with the agent to an ETag of an earlier state', async () => {
      const stale = (await create({ id: 'cached-then-changed' })).headers.get('etag')!;
      const changed = await patch('cached-then-changed', { description: 'Changed' });
      expect(changed.status).toBe(200);

      const answer = await get('cached-then-changed', { 'if-none-match': stale });
      expect(answer.status).toBe(200);
      expect(answer.body.agent.description).toBe('Changed');
      expect(answer.headers.get('etag')).toBe(changed.headers.get('etag'));
      expect(answer.headers.get('etag')).not.toBe(stale);
    });

    it('answers 200 to an unrelated or malformed If-None-Match', async () => {
      for (const header of ['"something-else"', 'garbage', '']) {
        const answer = await get('cached', { 'if-none-match': header });
        expect([header, answer.status, answer.body?.agent?.id]).toEqual([header, 200, 'cached']);
      }
    });
  });

  describe('401', () => {
    it('refuses a request without a key, with WWW-Authenticate: Bearer', async () => {
      await create({ id: 'secret' });
      const answer = await call(t.baseUrl, 'GET', '/v1/agents/secret');
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toMatchObject({ detail: 'Missing or malformed API key: send Authorization: Bearer <key>', code: 'unauthorized' });
    });

    it('refuses an unknown key', async () => {
      const answer = await call(t.baseUrl, 'GET', '/v1/agents/secret', { headers: { authorization: 'Bearer agk_forged0000000000000000000000000000000000' } });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ detail: 'Unknown or revoked API key', code: 'unauthorized' });
    });
  });

  describe('403', () => {
    it('refuses a key without agents:read, before looking the agent up', async () => {
      await create({ id: 'write-only' });
      const writer = await t.tenants.create({ workspaceId: tenant.workspaceId, scopes: ['agents:write'] });
      for (const id of ['write-only', 'does-not-exist']) {
        const answer = await get(id, {}, writer);
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:read', code: 'insufficient_scope' });
      }
    });
  });

  describe('404', () => {
    it('answers an unknown id', async () => {
      const answer = await get('nobody-here');
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ detail: 'Agent nobody-here not found', code: 'agent_not_found' });
      expect(answer.headers.get('etag')).toBeNull();
    });

    it('answers an id no agent can have without a 500', async () => {
      const long = 'a'.repeat(65);
      const answer = await get(long);
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ detail: `Agent ${'a'.repeat(64)} not found`, code: 'agent_not_found' });

      for (const id of ['-starts-with-dash', '%20spaced', 'caf%C3%A9', 'nul%00byte', '%F0%9F%8E%89']) {
        const bad = await get(id);
        expect([id, bad.status, bad.body.code]).toEqual([id, 404, 'agent_not_found']);
      }
    });

    it('answers a soft-deleted agent, even with If-None-Match', async () => {
      const etag = (await create({ id: 'gone' })).headers.get('etag')!;
      expect((await call(t.baseUrl, 'DELETE', '/v1/agents/gone', { tenant })).status).toBe(200);

      const answer = await get('gone', { 'if-none-match': etag });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ detail: 'Agent gone not found', code: 'agent_not_found' });
    });
  });
});
