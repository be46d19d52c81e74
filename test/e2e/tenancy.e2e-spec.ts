import { WorkspaceAdmin } from '../../src/modules/workspaces/workspace-admin.js';
import { readFeed, type FeedEvent } from '../support/events.js';
import { agentBody, call, errorBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

const INTERNAL = ['agents:read', 'agents:write', 'internal'] as const;

/** Every route on one agent: [method, path suffix after /v1/agents/{id}, body]. */
const ROUTES: [string, string, unknown][] = [
  ['GET', '', undefined],
  ['PATCH', '', { name: 'Hijacked', metadata: { owned: true } }],
  ['DELETE', '', undefined],
  ['DELETE', '?hard=true', undefined],
  ['GET', '/versions', undefined],
  ['GET', '/versions/1.0.0', undefined],
  ['GET', '/versions/1.0.1', undefined],
  ['POST', '/versions/1.0.0/restore', undefined],
  ['POST', '/versions/1.0.0/restore', { version: '9.0.0' }],
  ['GET', '/versions/production', undefined],
  ['GET', '/versions/latest', undefined],
  ['GET', '/versions/1.0.0/diff/production', undefined],
  ['GET', '/versions/production/diff/latest', undefined],
  ['GET', '/labels', undefined],
  ['PUT', '/labels/production', { version: '1.0.1' }],
  ['PUT', '/labels/staging', { version: '1.0.0' }],
  ['DELETE', '/labels/production', undefined],
];

describe('Tenancy and scopes on every route', () => {
  let t: TestApp;
  let owner: Tenant;
  /** Another workspace. */
  let stranger: Tenant;
  /** An internal key of another workspace: internal does not cross projects. */
  let foreignService: Tenant;
  /** Another project of the owner's own workspace. */
  let sibling: Tenant;

  const stored = async () => ({
    agents: await t.dataSource.query('SELECT * FROM agents WHERE project_id = $1 ORDER BY id', [owner.projectId]),
    versions: await t.dataSource.query('SELECT * FROM agent_versions WHERE project_id = $1 ORDER BY agent_id, number', [owner.projectId]),
    events: await t.dataSource.query('SELECT id FROM agent_events WHERE project_id = $1 ORDER BY seq', [owner.projectId]),
    labels: await t.dataSource.query('SELECT * FROM agent_labels WHERE project_id = $1 ORDER BY agent_id, name', [owner.projectId]),
  });

  beforeAll(async () => {
    t = await startTestApp();
    owner = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
    stranger = await t.tenants.create({ tier: 'enterprise' });
    foreignService = await t.tenants.create({ tier: 'enterprise', scopes: [...INTERNAL] });
    const siblingProject = await new WorkspaceAdmin(t.dataSource).createProject(owner.workspaceId, 'Sibling project');
    sibling = await t.tenants.create({ workspaceId: owner.workspaceId, projectId: siblingProject, scopes: [...INTERNAL] });

    for (const body of [agentBody({ id: 'owned', isSystem: true, isDefault: true }), agentBody({ id: 'shared-name' })]) {
      expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant: owner, body })).status).toBe(201);
    }
    expect((await call(t.baseUrl, 'PATCH', '/v1/agents/owned', { tenant: owner, body: { description: 'v1.0.1' } })).status).toBe(200);
    expect((await call(t.baseUrl, 'PUT', '/v1/agents/owned/labels/production', { tenant: owner, body: { version: '1.0.0' } })).status).toBe(200);
  });
  afterAll(() => t.close());

  describe("another project's agent is a 404 on every route, and stays as it was", () => {
    const others = () =>
      [
        ['another workspace', stranger],
        ['an internal key of another workspace', foreignService],
        ['another project of the same workspace', sibling],
      ] as const;

    it.each(ROUTES)('%s /v1/agents/{id}%s', async (method, suffix, body) => {
      const before = await stored();
      for (const [who, tenant] of others()) {
        const answer = await call(t.baseUrl, method, `/v1/agents/owned${suffix}`, { tenant, body });
        expect([who, answer.status, answer.body]).toEqual([who, 404, errorBody(404, 'Agent owned not found', 'agent_not_found')]);
        // The same answer as for an agent that exists nowhere: nothing leaks.
        const nowhere = await call(t.baseUrl, method, `/v1/agents/nowhere${suffix}`, { tenant, body });
        expect([who, nowhere.status, nowhere.body]).toEqual([who, 404, errorBody(404, 'Agent nowhere not found', 'agent_not_found')]);
      }
      expect(await stored()).toEqual(before);
    });

    it('never shows it in another project\'s list, whatever the filter or cursor', async () => {
      const ownerList = await call(t.baseUrl, 'GET', '/v1/agents?limit=1', { tenant: owner });
      expect(ownerList.body.total_count).toBe(2);
      const ownersCursor = ownerList.body.next_cursor;

      for (const [who, tenant] of others()) {
        for (const query of ['', '?isDefault=true', '?q=support', '?model=claude-sonnet-4-5', `?cursor=${ownersCursor}`, `?order=asc&cursor=${ownersCursor}`]) {
          const answer = await call(t.baseUrl, 'GET', `/v1/agents${query}`, { tenant });
          expect([who, query, answer.status]).toEqual([who, query, 200]);
          expect(answer.body.data.filter((agent: { projectId: string }) => agent.projectId !== tenant.projectId)).toEqual([]);
          expect(answer.body.data.map((agent: { id: string }) => agent.id)).not.toContain('owned');
        }
      }
    });

    it('lets another project use the same id, and keeps the two apart', async () => {
      const created = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: stranger, body: agentBody({ id: 'shared-name', name: 'Stranger copy' }) });
      expect(created.status).toBe(201);
      const before = await stored();

      const renamed = await call(t.baseUrl, 'PATCH', '/v1/agents/shared-name', { tenant: stranger, body: { name: 'Stranger renamed' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body.agent).toMatchObject({ projectId: stranger.projectId, name: 'Stranger renamed', version: '1.0.1' });
      const versions = await call(t.baseUrl, 'GET', '/v1/agents/shared-name/versions', { tenant: stranger });
      expect(versions.body.data.map((v: { version: string }) => v.version)).toEqual(['1.0.1', '1.0.0']);
      expect((await call(t.baseUrl, 'DELETE', '/v1/agents/shared-name?hard=true', { tenant: stranger })).status).toBe(200);

      expect(await stored()).toEqual(before);
      const mine = await call(t.baseUrl, 'GET', '/v1/agents/shared-name', { tenant: owner });
      expect(mine.status).toBe(200);
      expect(mine.body.agent).toMatchObject({ projectId: owner.projectId, name: 'Support bot', version: '1.0.0' });
    });

    it("never shows the owner's events in another project's feed, whatever the filter or cursor", async () => {
      const ownerEvents = await readFeed(t, owner);
      expect(ownerEvents.map((event) => event.subject)).toEqual(expect.arrayContaining(['owned', 'shared-name']));
      const ownerIds = new Set(ownerEvents.map((event) => event.id));
      for (const [who, tenant] of others()) {
        for (const query of ['', '?subject=owned', '?type=agent.updated', `?after=${ownerEvents[0]!.position}`, '?limit=1000']) {
          const answer = await call(t.baseUrl, 'GET', `/v1/events${query}`, { tenant });
          expect([who, query, answer.status]).toEqual([who, query, 200]);
          expect(answer.body.data.filter((event: FeedEvent) => event.projectid !== tenant.projectId || ownerIds.has(event.id))).toEqual([]);
        }
      }
    });

    it('lets the owner still see everything', async () => {
      for (const [method, suffix] of [
        ['GET', ''], ['GET', '/versions'], ['GET', '/versions/1.0.1'], ['GET', '/versions/production'], ['GET', '/versions/latest'],
        ['GET', '/versions/production/diff/latest'], ['GET', '/labels'],
      ]) {
        const answer = await call(t.baseUrl, method, `/v1/agents/owned${suffix}`, { tenant: owner });
        expect([suffix, answer.status]).toEqual([suffix, 200]);
      }
    });
  });

  describe('scopes', () => {
    let reader: Tenant;
    let writer: Tenant;
    let internalOnly: Tenant;

    beforeAll(async () => {
      const same = { workspaceId: owner.workspaceId, projectId: owner.projectId };
      reader = await t.tenants.create({ ...same, scopes: ['agents:read'] });
      writer = await t.tenants.create({ ...same, scopes: ['agents:write'] });
      internalOnly = await t.tenants.create({ ...same, scopes: ['internal'] });
    });

    const reads: [string, string][] = [
      ['GET', '/v1/events'],
      ['GET', '/v1/agents'],
      ['GET', '/v1/agents/owned'],
      ['GET', '/v1/agents/owned/versions'],
      ['GET', '/v1/agents/owned/versions/1.0.0'],
      ['GET', '/v1/agents/owned/versions/production'],
      ['GET', '/v1/agents/owned/versions/1.0.0/diff/latest'],
      ['GET', '/v1/agents/owned/labels'],
      ['GET', '/v1/agents/nowhere'],
    ];
    const writes: [string, string, unknown][] = [
      ['POST', '/v1/agents', agentBody()],
      ['PATCH', '/v1/agents/owned', { name: 'x' }],
      ['DELETE', '/v1/agents/owned', undefined],
      ['DELETE', '/v1/agents/owned?hard=true', undefined],
      ['POST', '/v1/agents/owned/versions/1.0.0/restore', undefined],
      ['PUT', '/v1/agents/owned/labels/production', { version: '1.0.1' }],
      ['DELETE', '/v1/agents/owned/labels/production', undefined],
      ['PATCH', '/v1/agents/nowhere', { name: 'x' }],
    ];

    it.each(reads)('%s %s needs agents:read', async (method, path) => {
      for (const tenant of [writer, internalOnly]) {
        const answer = await call(t.baseUrl, method, path, { tenant });
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:read', code: 'insufficient_scope' });
      }
      const allowed = await call(t.baseUrl, method, path, { tenant: reader });
      expect(allowed.status).toBe(path.endsWith('nowhere') ? 404 : 200);
    });

    it.each(writes)('%s %s needs agents:write, and changes nothing without it', async (method, path, body) => {
      const before = await stored();
      for (const tenant of [reader, internalOnly]) {
        const answer = await call(t.baseUrl, method, path, { tenant, body });
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:write', code: 'insufficient_scope' });
      }
      expect(await stored()).toEqual(before);
    });

    it.each([...reads.map(([method, path]) => [method, path]), ...writes.map(([method, path]) => [method, path])])(
      '%s %s needs a key at all (401)',
      async (method, path) => {
        const answer = await call(t.baseUrl, method, path);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
        expect(answer.body).toMatchObject({ detail: 'Missing or malformed API key: send Authorization: Bearer <key>', code: 'unauthorized' });
      },
    );
  });
});
