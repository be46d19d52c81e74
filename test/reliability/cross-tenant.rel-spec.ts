import { randomUUID } from 'node:crypto';
import { jsonRequest, send, type Received, type Sent } from './support/http.js';
import { Tally } from './support/tally.js';
import { WorkspaceAdmin } from '../../src/modules/workspaces/workspace-admin.js';
import { agentBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

// Cross-tenant probes on every route: the keys of another workspace (B) and of another project of
// the same workspace (C) try every route on the agents of A. Each is a 404 exactly like an id that
// never existed (no existence leak: never a 403, 409, 412 or 304), lists never show A's agents,
// and A's rows are unchanged afterwards.

const TIMEOUT_MS = 60_000;

describe('cross-tenant probes on every route', () => {
  const tally = new Tally('cross-tenant');
  let t: TestApp;
  let a: Tenant;
  let intruders: [string, Tenant][];
  const etags = new Map<string, string>();
  const idempotencyKey = randomUUID();
  let before: string;

  const request = (tenant: Tenant, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(tally, t.baseUrl, jsonRequest(method, path, tenant.token, body, headers));

  /** A's agents and versions, as one text to compare. */
  const rowsOfA = async () =>
    JSON.stringify(
      await t.dataSource.query(
        `SELECT 'agent' AS kind, id AS key, md5(a::text) AS hash FROM agents a WHERE project_id = $1
         UNION ALL SELECT 'version', agent_id || '#' || number, md5(v::text) FROM agent_versions v WHERE project_id = $1
         ORDER BY 1, 2`,
        [a.projectId],
      ),
    );

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    a = await t.tenants.create({ tier: 'team', providers: [{ type: 'openai', models: ['gpt-4o'] }] });
    const b = await t.tenants.create({ tier: 'free' });
    const otherProject = await new WorkspaceAdmin(t.dataSource).createProject(a.workspaceId, 'Other project');
    const c = await t.tenants.create({ workspaceId: a.workspaceId, projectId: otherProject });
    intruders = [['another workspace', b], ['another project of the same workspace', c]];

    const must = async (answer: Promise<Received>, status: number) => {
      const received = await answer;
      if (received.status !== status) throw new Error(`setup: ${received.status} ${JSON.stringify(received.body)}`);
      return received;
    };
    for (const id of ['a-live', 'a-versioned', 'a-gone']) {
      await must(request(a, 'POST', '/v1/agents', agentBody({ id, name: `Agent of A ${id}`, metadata: { owner: 'a' }, enabledSkills: ['deep_research'] })), 201);
    }
    // The project's default and system agent, made by a trusted service's key.
    const internal = await t.tenants.create({ workspaceId: a.workspaceId, projectId: a.projectId, scopes: ['agents:read', 'agents:write', 'internal'] });
    await must(request(internal, 'POST', '/v1/agents', agentBody({ id: 'a-default', name: 'Agent of A a-default', metadata: { owner: 'a' }, isDefault: true, isSystem: true })), 201);
    await must(request(a, 'PATCH', '/v1/agents/a-versioned', { description: 'second' }), 200);
    await must(request(a, 'DELETE', '/v1/agents/a-gone'), 200);
    await must(request(a, 'POST', '/v1/agents', agentBody({ name: 'Made with a key' }), { 'idempotency-key': idempotencyKey }), 201);
    for (const id of ['a-live', 'a-versioned', 'a-default']) {
      etags.set(id, (await must(request(a, 'GET', `/v1/agents/${id}`), 200)).headers!.get('etag')!);
    }
    before = await rowsOfA();
  }, TIMEOUT_MS);

  afterAll(async () => {
    tally.note('2 intruders (another workspace, another project) x 4 agents of A (live, versioned, deleted, default) x 15 probes; lists, cursors, models, idempotency keys');
    tally.save();
    await t?.close();
  });

  /** Every route on one agent id, as an intruder would try it. */
  function probesOn(id: string): [string, (tenant: Tenant) => Sent][] {
    const etag = etags.get(id) ?? '"x"';
    const path = `/v1/agents/${id}`;
    return [
      ['GET', (tenant) => jsonRequest('GET', path, tenant.token, undefined)],
      ['GET with X-API-Key', (tenant) => ({ method: 'GET', path, headers: { 'x-api-key': tenant.token } })],
      ["GET with If-None-Match of A's ETag (no 304)", (tenant) => jsonRequest('GET', path, tenant.token, undefined, { 'if-none-match': etag })],
      ['GET versions', (tenant) => jsonRequest('GET', `${path}/versions`, tenant.token, undefined)],
      ['GET versions?order=asc&limit=1', (tenant) => jsonRequest('GET', `${path}/versions?order=asc&limit=1`, tenant.token, undefined)],
      ['GET version 1.0.0', (tenant) => jsonRequest('GET', `${path}/versions/1.0.0`, tenant.token, undefined)],
      ['GET version 1.0.1', (tenant) => jsonRequest('GET', `${path}/versions/1.0.1`, tenant.token, undefined)],
      ['POST restore', (tenant) => jsonRequest('POST', `${path}/versions/1.0.0/restore`, tenant.token, undefined)],
      ['POST restore with a version and an Idempotency-Key', (tenant) => jsonRequest('POST', `${path}/versions/1.0.0/restore`, tenant.token, { version: '9.0.0' }, { 'idempotency-key': randomUUID() })],
      ['PATCH', (tenant) => jsonRequest('PATCH', path, tenant.token, { description: 'taken over' })],
      ["PATCH with If-Match of A's ETag (no 412)", (tenant) => jsonRequest('PATCH', path, tenant.token, { name: 'taken over' }, { 'if-match': etag })],
      ['PATCH with a stale If-Match (no 412)', (tenant) => jsonRequest('PATCH', path, tenant.token, { name: 'taken over' }, { 'if-match': '"stale"' })],
      ['PATCH isActive', (tenant) => jsonRequest('PATCH', path, tenant.token, { isActive: false })],
      ['DELETE', (tenant) => jsonRequest('DELETE', path, tenant.token, undefined)],
      ['DELETE ?hard=true', (tenant) => jsonRequest('DELETE', `${path}?hard=true`, tenant.token, undefined)],
    ];
  }

  const agentsOfA = ['a-live', 'a-versioned', 'a-gone', 'a-default'];

  it.each(agentsOfA)("every route on A's agent %s is a 404, as for an id that never existed", async (id) => {
    for (const [who, intruder] of intruders) {
      for (const [route, probe] of probesOn(id)) {
        const answer = await send(tally, t.baseUrl, probe(intruder));
        const unknown = await send(tally, t.baseUrl, probesOn('never-existed').find(([name]) => name === route)![1](intruder));
        expect({ who, route, status: answer.status, code: answer.body?.code }).toEqual({ who, route, status: 404, code: unknown.body?.code });
        expect(unknown.status).toBe(404);
        // The message names only what the caller asked for; nothing of A's.
        expect(JSON.stringify(answer.body)).not.toContain(a.projectId);
      }
    }
  }, TIMEOUT_MS);

  it("lists never show A's agents, whatever the filter or cursor", async () => {
    const ownCursors: string[] = [];
    const firstPageOfA = await request(a, 'GET', '/v1/agents?limit=1');
    expect(firstPageOfA.status).toBe(200);
    const cursorOfA: string = firstPageOfA.body.next_cursor;
    expect(typeof cursorOfA).toBe('string');
    const versionsOfA = await request(a, 'GET', '/v1/agents/a-versioned/versions?limit=1');
    const versionCursorOfA: string = versionsOfA.body.next_cursor;

    for (const [who, intruder] of intruders) {
      // The intruder has agents of its own, one with an id A uses.
      expect((await request(intruder, 'POST', '/v1/agents', agentBody({ id: `own-${randomUUID().slice(0, 8)}` }))).status).toBe(201);
      const queries = [
        '', '?limit=100', '?order=asc', '?q=agent%20of%20a', '?q=a-', '?metadata[owner]=a', '?skill=deep_research', '?model=claude-sonnet-4-5',
        '?isActive=true', '?isDefault=false', `?cursor=${cursorOfA}`, `?cursor=${cursorOfA}&order=asc`,
      ];
      for (const query of queries) {
        const answer = await request(intruder, 'GET', `/v1/agents${query}`);
        expect({ who, query, status: answer.status }).toEqual({ who, query, status: 200 });
        const listed: { id: string; projectId: string }[] = answer.body.data;
        expect({ who, query, foreign: listed.filter((agent) => agent.projectId !== intruder.projectId) }).toEqual({ who, query, foreign: [] });
        expect(JSON.stringify(answer.body)).not.toContain('Agent of A');
        if (answer.body.next_cursor) ownCursors.push(answer.body.next_cursor);
      }
      // A's version cursor on the intruder's own agent: its own versions or a 422, nothing of A's.
      const own = (await request(intruder, 'GET', '/v1/agents?limit=1')).body.data[0].id;
      const versions = await request(intruder, 'GET', `/v1/agents/${own}/versions?cursor=${versionCursorOfA}`);
      expect([200, 422]).toContain(versions.status);
      expect(JSON.stringify(versions.body)).not.toContain(a.projectId);
    }
    expect(ownCursors.every((cursor) => typeof cursor === 'string')).toBe(true);
  }, TIMEOUT_MS);

  it("an intruder may use A's ids in its own project: a 201 there, A's agent untouched (no 409 leak)", async () => {
    for (const [who, intruder] of intruders) {
      for (const id of ['a-live', 'a-gone']) {
        const answer = await request(intruder, 'POST', '/v1/agents', agentBody({ id, name: `Intruder's ${id}` }));
        expect({ who, id, status: answer.status, projectId: answer.body?.agent?.projectId }).toEqual({ who, id, status: 201, projectId: intruder.projectId });
        // Now the intruder's own agent of that id: its routes act on it, never on A's.
        const patched = await request(intruder, 'PATCH', `/v1/agents/${id}`, { description: 'mine' });
        expect([patched.status, patched.body.agent.projectId]).toEqual([200, intruder.projectId]);
        expect((await request(intruder, 'DELETE', `/v1/agents/${id}?hard=true`)).status).toBe(200);
      }
    }
  }, TIMEOUT_MS);

  it("an Idempotency-Key A used is a fresh key for another tenant: its own agent, no replay of A's answer", async () => {
    for (const [who, intruder] of intruders) {
      const answer = await request(intruder, 'POST', '/v1/agents', agentBody({ name: 'Made with a key' }), { 'idempotency-key': idempotencyKey });
      expect({ who, status: answer.status, replayed: answer.headers?.get('idempotent-replayed') ?? null, projectId: answer.body.agent?.projectId })
        .toEqual({ who, status: 201, replayed: null, projectId: intruder.projectId });
    }
  }, TIMEOUT_MS);

  it("models: another workspace sees its own tier and none of A's connected providers", async () => {
    const [, b] = intruders[0];
    const answer = await request(b, 'GET', '/v1/agents/models');
    expect(answer.status).toBe(200);
    expect(answer.body.tier).toBe('free');
    expect(answer.body.models.filter((model: { source: string }) => model.source === 'external')).toEqual([]);
    const ofA = await request(a, 'GET', '/v1/agents/models');
    expect(ofA.body.models.some((model: { source: string }) => model.source === 'external')).toBe(true);
  }, TIMEOUT_MS);

  it("A's agents and versions are exactly as before, and A still reaches them", async () => {
    const after = await rowsOfA();
    const [was, is] = [JSON.parse(before) as unknown[], JSON.parse(after) as unknown[]].map((rows) => new Set(rows.map((row) => JSON.stringify(row))));
    // Every intruder's write on A's agents got a 404: a row that changed was changed by a 4xx.
    tally.rowsWrittenBy4xx([...is].filter((row) => !was.has(row)).length + [...was].filter((row) => !is.has(row)).length);
    expect(after).toBe(before);
    for (const [id, etag] of etags) {
      const answer = await request(a, 'GET', `/v1/agents/${id}`);
      expect([answer.status, answer.headers?.get('etag')]).toEqual([200, etag]);
    }
    expect((await request(a, 'GET', '/v1/agents/a-gone')).status).toBe(404);
  }, TIMEOUT_MS);
});
