import { request } from 'node:http';
import { freePort } from '../reliability/support/service-process.js';
import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

const RATE_LIMIT = 5;

type Samples = Map<string, number>;

/** The samples of a Prometheus text exposition, by `name{labels}` as written. */
function parseSamples(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    samples.set(line.slice(0, split), Number(line.slice(split + 1)));
  }
  return samples;
}

describe('GET /metrics (Prometheus, on its own port)', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_PORT: String(await freePort()), RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
    tenant = await t.tenants.create();
  });
  afterAll(() => t.close());

  async function scrape(): Promise<Samples> {
    const answer = await fetch(t.metricsUrl!);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseSamples(await answer.text());
  }

  const moved = (before: Samples, after: Samples, sample: string) => (after.get(sample) ?? 0) - (before.get(sample) ?? 0);

  it('counts requests by route template and status, with their latency, by exactly what was sent', async () => {
    const before = await scrape();
    const created = await call(t.baseUrl, 'POST', '/v1/agents', { tenant, body: agentBody() });
    const id = created.body.agent.id as string;
    await call(t.baseUrl, 'GET', `/v1/agents/${id}`, { tenant });
    await call(t.baseUrl, 'GET', `/v1/agents/${id}`, { tenant });
    await call(t.baseUrl, 'GET', '/v1/agents/no-such-agent', { tenant });
    await call(t.baseUrl, 'GET', '/v1/no-such-route', { tenant });
    const after = await scrape();

    const labels = (method: string, route: string, status: number) => `{method="${method}",route="${route}",status_code="${status}"}`;
    expect(moved(before, after, `http_requests_total${labels('POST', '/v1/agents', 201)}`)).toBe(1);
    expect(moved(before, after, `http_requests_total${labels('GET', '/v1/agents/:id', 200)}`)).toBe(2);
    expect(moved(before, after, `http_requests_total${labels('GET', '/v1/agents/:id', 404)}`)).toBe(1);
    expect(moved(before, after, `http_requests_total${labels('GET', 'unmatched', 404)}`)).toBe(1);
    expect(moved(before, after, `http_request_duration_seconds_count${labels('GET', '/v1/agents/:id', 200)}`)).toBe(2);
    expect(moved(before, after, `http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/agents/:id",status_code="200"}`)).toBe(2);
    expect(after.get(`http_request_duration_seconds_sum${labels('GET', '/v1/agents/:id', 200)}`)).toBeGreaterThan(0);
    // Route templates only: an agent id never becomes a label.
    expect([...after.keys()].filter((sample) => sample.includes(id) || sample.includes('no-such'))).toEqual([]);
  });

  it('shows requests in flight, the database pool and Node process metrics', async () => {
    const samples = await scrape();
    // The scrape is not an API request: nothing is in flight now.
    expect(samples.get('http_requests_in_flight')).toBe(0);
    expect(samples.get('db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(samples.get('db_pool_connections{state="idle"}')).toBeLessThanOrEqual(samples.get('db_pool_connections{state="total"}')!);
    expect(samples.get('db_pool_waiting_requests')).toBe(0);
    expect(samples.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(samples.has('nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('counts a request in flight while it is served', async () => {
    // A body still arriving keeps its request open on the server.
    const url = new URL(`${t.baseUrl}/v1/agents`);
    const open = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '100', authorization: `Bearer ${tenant.token}` } });
    open.on('error', () => {});
    open.write('{"name":');
    try {
      let inFlight = 0;
      for (let attempt = 0; attempt < 50 && inFlight === 0; attempt++) {
        inFlight = (await scrape()).get('http_requests_in_flight') ?? 0;
        if (inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(inFlight).toBe(1);
    } finally {
      open.destroy();
    }
    // Cut off by the client, it is no longer in flight.
    let after = 1;
    for (let attempt = 0; attempt < 50 && after !== 0; attempt++) {
      after = (await scrape()).get('http_requests_in_flight') ?? -1;
      if (after !== 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(after).toBe(0);
  });

  it('counts rate-limit refusals and idempotent replays', async () => {
    const limited = await t.tenants.create();
    const before = await scrape();
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 2; i++) statuses.push((await call(t.baseUrl, 'GET', '/v1/agents', { tenant: limited })).status);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2);

    const retried = await t.tenants.create();
    const headers = { 'idempotency-key': 'metrics-test-1' };
    const first = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: retried, body: agentBody(), headers });
    const replay = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: retried, body: agentBody(), headers });
    expect([first.status, replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    const after = await scrape();

    expect(moved(before, after, 'rate_limit_refusals_total')).toBe(2);
    expect(moved(before, after, 'idempotent_replays_total')).toBe(1);
    expect(moved(before, after, 'http_requests_total{method="GET",route="/v1/agents",status_code="429"}')).toBe(2);
  });

  it('is never served on the API port', async () => {
    expect((await call(t.baseUrl, 'GET', '/metrics')).status).toBe(404);
    expect((await fetch(t.metricsUrl!.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('is not served at all with METRICS_PORT=0', async () => {
    const off = await startTestApp({ METRICS_PORT: '0' }, { databaseUrl: t.databaseUrl });
    try {
      expect(off.metricsUrl).toBeNull();
    } finally {
      await off.close();
    }
  });
});
