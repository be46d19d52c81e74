import { agentBody, call, errorBody } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

const IMMUTABLE = 'private, max-age=31536000, immutable';

describe('Pinned reads: GET /v1/agents/{id}/versions/{versionOrLabel}', () => {
  let t: TestApp;
  let tenant: Tenant;
  const id = 'pinned';
  const read = (segment: string, headers: Record<string, string> = {}, as: Tenant = tenant) =>
    call(t.baseUrl, 'GET', `/v1/agents/${id}/versions/${segment}`, { tenant: as, headers });
  const setLabel = async (label: string, version: string) => {
    expect((await call(t.baseUrl, 'PUT', `/v1/agents/${id}/labels/${label}`, { tenant, body: { version } })).status).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenants.create();
    expect((await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody({ id, instructions: 'one' }) })).status).toBe(201);
    expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { instructions: 'two' } })).status).toBe(200);
    await setLabel('production', '1.0.0');
  });
  afterAll(() => t.close());

  it('answers a version with a strong ETag and an immutable Cache-Control, the same at every read', async () => {
    const answer = await read('1.0.0');
    expect(answer.status).toBe(200);
    expect(answer.body.version).toMatchObject({ agentId: id, version: '1.0.0', configuration: { instructions: 'one' } });
    expect(answer.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(answer.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(answer.headers.get('content-location')).toBeNull();
    expect((await read('1.0.0')).headers.get('etag')).toBe(answer.headers.get('etag'));
    expect((await read('1.0.1')).headers.get('etag')).not.toBe(answer.headers.get('etag'));
  });

  it('resolves a label and latest to their versions, with Cache-Control no-cache and the ETag of that version', async () => {
    const [v100, v101] = [await read('1.0.0'), await read('1.0.1')];
    const label = await read('production');
    expect(label.status).toBe(200);
    expect(label.body).toEqual(v100.body);
    expect(label.headers.get('cache-control')).toBe('no-cache');
    expect(label.headers.get('etag')).toBe(v100.headers.get('etag'));
    expect(label.headers.get('content-location')).toBe(`/v1/agents/${id}/versions/1.0.0`);

    const latest = await read('latest');
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual(v101.body);
    expect(latest.body.version.version).toBe('1.0.1');
    expect(latest.headers.get('cache-control')).toBe('no-cache');
    expect(latest.headers.get('etag')).toBe(v101.headers.get('etag'));
  });

  it('answers If-None-Match with a 304 on a version, a label and latest, without a body', async () => {
    const etag = (await read('1.0.0')).headers.get('etag')!;
    for (const [segment, cacheControl] of [['1.0.0', IMMUTABLE], ['production', 'no-cache']]) {
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const answer = await read(segment, { 'if-none-match': header });
        expect([segment, header, answer.status, answer.body]).toEqual([segment, header, 304, null]);
        expect(answer.headers.get('etag')).toBe(etag);
        expect(answer.headers.get('cache-control')).toBe(cacheControl);
      }
    }
    expect((await read('latest', { 'if-none-match': (await read('1.0.1')).headers.get('etag')! })).status).toBe(304);
    expect((await read('1.0.1', { 'if-none-match': etag })).status).toBe(200);
  });

  it('gives a new answer once the label moved or a new version made latest another', async () => {
    await setLabel('staging', '1.0.0');
    const before = await read('staging');
    const etag = before.headers.get('etag')!;
    await setLabel('staging', '1.0.1');
    const after = await read('staging', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.body.version.version).toBe('1.0.1');
    expect(after.headers.get('etag')).not.toBe(etag);

    const latestEtag = (await read('latest')).headers.get('etag')!;
    expect((await call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant, body: { instructions: 'three' } })).status).toBe(200);
    const latest = await read('latest', { 'if-none-match': latestEtag });
    expect(latest.status).toBe(200);
    expect(latest.body.version).toMatchObject({ version: '1.0.2', configuration: { instructions: 'three' } });
    // The version itself did not change: its tag still validates.
    expect((await read('1.0.1', { 'if-none-match': latestEtag })).status).toBe(304);
  });

  it('answers 404 label_not_found for a label the agent does not have, 404 version_not_found for a version', async () => {
    const label = await read('canary');
    expect([label.status, label.body]).toEqual([404, errorBody(404, `Agent ${id} has no label canary`, 'label_not_found')]);
    const version = await read('9.9.9');
    expect([version.status, version.body]).toEqual([404, errorBody(404, `Agent ${id} has no version 9.9.9`, 'version_not_found')]);
    const label404 = await call(t.baseUrl, 'GET', '/v1/agents/nowhere/versions/production', { tenant });
    expect([label404.status, label404.body]).toEqual([404, errorBody(404, 'Agent nowhere not found', 'agent_not_found')]);
  });

  it.each(['v1.0.0', '1.0', '1.0.0-', 'Production', '_x', 'a'.repeat(33), '%20'])('answers 422 on ["path","version"] to %s', async (segment) => {
    const answer = await read(segment);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'validation_failed', detail: [{ loc: ['path', 'version'], msg: expect.any(String), type: 'version_or_label' }] });
  });

  it("keeps another project's agent a 404 through a label and latest", async () => {
    const stranger = await t.tenants.create();
    for (const segment of ['production', 'latest', '1.0.0']) {
      const answer = await read(segment, {}, stranger);
      expect([segment, answer.status, answer.body]).toEqual([segment, 404, errorBody(404, `Agent ${id} not found`, 'agent_not_found')]);
    }
  });
});
