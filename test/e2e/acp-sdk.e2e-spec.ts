import { STATUS_CODES } from 'node:http';
import { agentBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

/**
 * The ACP API's official TypeScript SDK (`computer-agents`), as it speaks: on the base URL it is
 * given, paths without /v1, `Authorization: Bearer`, JSON bodies, `{agent}` envelopes, `{data}`
 * lists, `{deleted}`, and errors read as `{ error, message, code, details }`.
 */
async function sdkRequest(t: TestApp, tenant: Tenant | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: {
      ...(tenant ? { Authorization: `Bearer ${tenant.token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as any;
  return { status: response.status, headers: response.headers, json };
}

/** What the SDK's ApiClientError is built from. */
function sdkErrorOf(json: any): { message: string; code: string; error: string } {
  return { message: json.message, code: json.code, error: json.error };
}

describe('the ACP SDK: unprefixed paths and its error fields', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await t.tenants.create();
  });
  afterAll(() => t.close());

  it('creates, lists, reads, patches and deletes agents on /agents', async () => {
    const created = await sdkRequest(t, tenant, 'POST', '/agents', agentBody({ name: 'ACP runner', instructions: 'Be brief' }));
    expect(created.status).toBe(201);
    expect(created.json.agent).toMatchObject({ name: 'ACP runner', model: 'claude-sonnet-4-5', instructions: 'Be brief', projectId: tenant.projectId });
    const id = created.json.agent.id as string;
    expect(created.headers.get('location')).toBe(`/v1/agents/${id}`);

    const listed = await sdkRequest(t, tenant, 'GET', '/agents?limit=10');
    expect(listed.status).toBe(200);
    expect(listed.json.object).toBe('list');
    expect(listed.json.data.map((agent: { id: string }) => agent.id)).toEqual([id]);

    const models = await sdkRequest(t, tenant, 'GET', '/agents/models');
    expect(models.status).toBe(200);
    expect(models.json.models.map((model: { id: string }) => model.id)).toContain('claude-sonnet-4-5');

    const read = await sdkRequest(t, tenant, 'GET', `/agents/${id}`);
    expect([read.status, read.json.agent]).toEqual([200, created.json.agent]);

    const patched = await sdkRequest(t, tenant, 'PATCH', `/agents/${id}`, { description: 'Patched through the SDK' });
    expect([patched.status, patched.json.agent.description]).toEqual([200, 'Patched through the SDK']);

    const deleted = await sdkRequest(t, tenant, 'DELETE', `/agents/${id}`);
    expect([deleted.status, deleted.json]).toEqual([200, { deleted: true }]);
    expect((await sdkRequest(t, tenant, 'GET', `/v1/agents/${id}`)).status).toBe(404);
  });

  it('answers the same as /v1: one agent seen through both spellings', async () => {
    const created = await sdkRequest(t, tenant, 'POST', '/v1/agents', agentBody());
    const id = created.json.agent.id as string;
    const unprefixed = await sdkRequest(t, tenant, 'GET', `/agents/${id}`);
    const prefixed = await sdkRequest(t, tenant, 'GET', `/v1/agents/${id}`);
    expect(unprefixed.json).toEqual(prefixed.json);
    expect(unprefixed.headers.get('etag')).toBe(prefixed.headers.get('etag'));
  });

  it('reads message, code and error from every error, and keeps detail for FastAPI clients', async () => {
    const missing = await sdkRequest(t, tenant, 'GET', '/agents/no-such-agent');
    expect(missing.status).toBe(404);
    expect(sdkErrorOf(missing.json)).toEqual({ message: 'Agent no-such-agent not found', code: 'agent_not_found', error: 'Not Found' });
    expect(missing.json.detail).toBe('Agent no-such-agent not found');

    const anonymous = await sdkRequest(t, null, 'GET', '/agents');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(sdkErrorOf(anonymous.json)).toEqual({ message: anonymous.json.detail, code: 'unauthorized', error: 'Unauthorized' });

    const invalid = await sdkRequest(t, tenant, 'POST', '/agents', { name: '', model: 'no-such-model', reasoningEffort: 'extreme' });
    expect(invalid.status).toBe(422);
    expect(invalid.json.code).toBe('validation_failed');
    expect(invalid.json.error).toBe(STATUS_CODES[422]);
    expect(invalid.json.detail.length).toBeGreaterThanOrEqual(2);
    const [first] = invalid.json.detail;
    const more = invalid.json.detail.length - 1;
    expect(invalid.json.message).toBe(`${first.loc.slice(1).join('.')}: ${first.msg} (and ${more} more problem${more === 1 ? '' : 's'})`);

    const one = await sdkRequest(t, tenant, 'POST', '/agents', { model: 'claude-sonnet-4-5', name: 'x', color: 'blue' });
    expect([one.status, one.json.detail.length]).toEqual([422, 1]);
    expect(one.json.message).toBe(`color: ${one.json.detail[0].msg}`);
  });

  it('keeps another project\'s agents out of reach on the unprefixed paths too', async () => {
    const other = await t.tenants.create();
    const theirs = await sdkRequest(t, other, 'POST', '/agents', agentBody());
    const id = theirs.json.agent.id as string;
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Mine now' }], ['DELETE']] as const) {
      const answer = await sdkRequest(t, tenant, method, `/agents/${id}`, body);
      expect([method, answer.status, answer.json.code]).toEqual([method, 404, 'agent_not_found']);
    }
    expect((await sdkRequest(t, other, 'GET', `/agents/${id}`)).json.agent.name).toBe(theirs.json.agent.name);
  });
});

describe('the unprefixed paths share the limits of the /v1 ones', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('counts /agents and /v1/agents against one per-key limit', async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '4' });
    const tenant = await t.tenants.create();
    const statuses: number[] = [];
    for (const path of ['/agents', '/v1/agents', '/agents', '/v1/agents', '/agents']) {
      statuses.push((await sdkRequest(t, tenant, 'GET', path)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});
