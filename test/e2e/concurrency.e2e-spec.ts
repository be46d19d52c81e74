import { randomUUID } from 'node:crypto';
import { agentBody, call, inParallel, type HttpAnswer } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

// No 500 under concurrency (issue 8): many requests at once against the real PostgreSQL, each
// answered as if it had been alone. Moving the default flag is serialised per project (create,
// PATCH, restore, with or without an Idempotency-Key), a change's time is taken once its row is
// locked (updatedAt never goes backwards), and a list page and its total_count are one snapshot.

const PARALLEL = 60;
const TIMEOUT_MS = 120_000;
const INTERNAL = ['agents:read', 'agents:write', 'internal'] as const;


/** How many answers had each status ("201", "500 internal_error"): a short failure message. */
function statuses(answers: readonly HttpAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const line = `${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ''}`;
    counts[line] = (counts[line] ?? 0) + 1;
  }
  return counts;
}

describe('concurrency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', DATABASE_POOL_SIZE: '20' });
  }, TIMEOUT_MS);
  afterAll(() => t?.close());

  const post = (as: Tenant, body: unknown, headers: Record<string, string> = {}) => call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body, headers });
  const patch = (as: Tenant, id: string, body: unknown) => call(t.baseUrl, 'PATCH', `/v1/agents/${id}`, { tenant: as, body });
  const restore = (as: Tenant, id: string, version: string, headers: Record<string, string> = {}) =>
    call(t.baseUrl, 'POST', `/v1/agents/${id}/versions/${version}/restore`, { tenant: as, headers });
  const list = (as: Tenant, query: string) => call(t.baseUrl, 'GET', `/v1/agents?${query}`, { tenant: as });

  /** The project's default agents, as the database and as the API see them. */
  const defaults = async (as: Tenant) => {
    const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM agents WHERE project_id = $1 AND is_default AND deleted_at IS NULL', [
      as.projectId,
    ]);
    const listed = await list(as, 'isDefault=true&limit=100');
    expect(listed.status).toBe(200);
    expect(listed.body.total_count).toBe(listed.body.data.length);
    return { stored: rows.map((row) => row.id), listed: listed.body.data.map((agent: { id: string }) => agent.id) as string[] };
  };

  const expectExactlyOneDefault = async (as: Tenant, among: readonly string[]) => {
    const { stored, listed } = await defaults(as);
    expect(stored).toHaveLength(1);
    expect(listed).toEqual(stored);
    expect(among).toContain(stored[0]);
    return stored[0];
  };

  describe('moving the default flag', () => {
    it.each([
      ['with an Idempotency-Key each', true],
      ['without Idempotency-Key', false],
    ])(`${PARALLEL} parallel creates with isDefault: true (%s): every answer 201, exactly one default`, async (_what, withKeys) => {
      const service = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
      expect((await post(service, agentBody({ id: 'old-default', isDefault: true }))).status).toBe(201);

      const answers = await inParallel(PARALLEL, (i) =>
        post(service, agentBody({ id: `default-${i}`, isDefault: true }), withKeys ? { 'idempotency-key': randomUUID() } : {}),
      );

      expect(statuses(answers)).toEqual({ '201': PARALLEL });
      for (const answer of answers) expect(answer.body.agent.isDefault).toBe(true);
      const ids = answers.map((answer) => answer.body.agent.id as string);
      const winner = await expectExactlyOneDefault(service, ids);
      // Every other agent lost the flag, each with its own change (revision 2), the last mover kept it.
      const rows: { id: string; is_default: boolean; revision: number }[] = await t.dataSource.query(
        'SELECT id, is_default, revision FROM agents WHERE project_id = $1 ORDER BY id',
        [service.projectId],
      );
      expect(rows).toHaveLength(PARALLEL + 1);
      for (const row of rows) expect([row.id, row.is_default, row.revision]).toEqual(row.id === winner ? [winner, true, 1] : [row.id, false, 2]);
    }, TIMEOUT_MS);

    it(`${PARALLEL} parallel PATCHes { isDefault: true } on different agents, with restores of them and default creates: no 5xx, exactly one default`, async () => {
      const service = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
      const ids = Array.from({ length: PARALLEL }, (_, i) => `agent-${i}`);
      for (let start = 0; start < ids.length; start += 10) {
        const created = await Promise.all(ids.slice(start, start + 10).map((id) => post(service, agentBody({ id, description: 'first' }))));
        expect(statuses(created)).toEqual({ '201': created.length });
      }
      expect((await patch(service, ids[0], { isDefault: true })).status).toBe(200);

      const [patched, restored, created] = await Promise.all([
        inParallel(PARALLEL, (i) => patch(service, ids[i], { isDefault: true, description: `patched ${i}` })),
        // Restore carries no flag, but it locks the same rows as the moves: it must neither wait
        // forever nor fail. Half of them with an Idempotency-Key (the idempotency transaction).
        inParallel(PARALLEL / 2, (i) => restore(service, ids[PARALLEL - 1 - i], '1.0.0', i % 2 === 0 ? { 'idempotency-key': randomUUID() } : {})),
        inParallel(PARALLEL / 4, (i) => post(service, agentBody({ id: `created-${i}`, isDefault: true }), i % 2 === 0 ? { 'idempotency-key': randomUUID() } : {})),
      ]);

      expect({ patched: statuses(patched), restored: statuses(restored), created: statuses(created) }).toEqual({
        patched: { '200': PARALLEL },
        restored: { '201': PARALLEL / 2 },
        created: { '201': PARALLEL / 4 },
      });
      for (const answer of [...patched, ...created]) expect(answer.body.agent.isDefault).toBe(true);
      await expectExactlyOneDefault(service, [...ids, ...created.map((answer) => answer.body.agent.id as string)]);
    }, TIMEOUT_MS);

    it('un-setting the default while others move it, round after round: no 5xx, at most one default, and one once the last move is in', async () => {
      const service = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
      const ids = Array.from({ length: 10 }, (_, i) => `agent-${i}`);
      expect(statuses(await Promise.all(ids.map((id) => post(service, agentBody({ id })))))).toEqual({ '201': ids.length });

      // Each agent gets moves to it and un-sets of it at once: an un-set that commits while a move
      // clears the old default must not leave that move waiting on a writer that waits for it.
      for (let round = 0; round < 5; round++) {
        const answers = await inParallel(PARALLEL, (i) => patch(service, ids[i % ids.length], { isDefault: (i + round) % 3 !== 0 }));
        expect([round, statuses(answers)]).toEqual([round, { '200': PARALLEL }]);
        const { stored } = await defaults(service);
        expect(stored.length).toBeLessThanOrEqual(1);
      }

      expect((await patch(service, ids[7], { isDefault: true })).status).toBe(200);
      expect(await expectExactlyOneDefault(service, ids)).toBe(ids[7]);
    }, TIMEOUT_MS);
  });

  describe('updatedAt never goes backwards', () => {
    it(`${PARALLEL} parallel PATCHes of one agent: in version order, no time is earlier than the one before`, async () => {
      const tenant = await t.tenants.create();
      const created = await post(tenant, agentBody({ id: 'contended' }));
      expect(created.status).toBe(201);

      const answers = await inParallel(PARALLEL, (i) => patch(tenant, 'contended', { description: `writer ${i}` }));

      expect(statuses(answers)).toEqual({ '200': PARALLEL });
      // In the order the changes were applied (their revisions), the answers' times never decrease.
      const applied = answers.map((answer) => answer.body.agent).sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
      expect(applied.map((agent) => agent.version)).toEqual(Array.from({ length: PARALLEL }, (_, i) => `1.0.${i + 1}`));
      const times = [created.body.agent.updatedAt, ...applied.map((agent) => agent.updatedAt)].map(Date.parse);
      const backwards = times.flatMap((time, i) => (i > 0 && time < times[i - 1] ? [`1.0.${i}: ${times[i - 1]} -> ${time}`] : []));
      expect(backwards).toEqual([]);
      // And as stored: the versions' times in version order, and the agent's time is the last one's.
      const versions: { number: number; created_at: Date }[] = await t.dataSource.query(
        'SELECT number, created_at FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ORDER BY number',
        [tenant.projectId, 'contended'],
      );
      expect(versions).toHaveLength(PARALLEL + 1);
      const storedTimes = versions.map((version) => version.created_at.getTime());
      expect(storedTimes.filter((time, i) => i > 0 && time < storedTimes[i - 1])).toEqual([]);
      const [row] = await t.dataSource.query('SELECT updated_at FROM agents WHERE project_id = $1 AND id = $2', [tenant.projectId, 'contended']);
      expect(row.updated_at.getTime()).toBe(storedTimes.at(-1));
    }, TIMEOUT_MS);

    it('the agent that loses the default flag gets a time not earlier than its own last one', async () => {
      const service = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
      expect((await post(service, agentBody({ id: 'holder', isDefault: true }))).status).toBe(201);
      // Its stored time is in the future (another instance's clock running ahead, say).
      const ahead = new Date(Date.now() + 3_600_000);
      await t.dataSource.query('UPDATE agents SET updated_at = $3 WHERE project_id = $1 AND id = $2', [service.projectId, 'holder', ahead]);
      expect((await post(service, agentBody({ id: 'taker', isDefault: true }))).status).toBe(201);
      const [row] = await t.dataSource.query('SELECT is_default, updated_at FROM agents WHERE project_id = $1 AND id = $2', [service.projectId, 'holder']);
      expect(row.is_default).toBe(false);
      expect(row.updated_at.getTime()).toBeGreaterThanOrEqual(ahead.getTime());

      // A PATCH of an agent whose time is ahead keeps that time rather than going back.
      const answer = await patch(service, 'holder', { description: 'changed' });
      expect(answer.status).toBe(200);
      expect(Date.parse(answer.body.agent.updatedAt)).toBeGreaterThanOrEqual(ahead.getTime());
    }, TIMEOUT_MS);
  });

  describe('a list page and its total_count come from one snapshot', () => {
    it('total_count equals the rows of a page that holds the whole set, while writers insert and delete', async () => {
      const tenant = await t.tenants.create();
      const WRITERS = 8;
      const CYCLES = 25;
      const READERS = 6;
      let writing = true;
      let cycle = 0;
      const writer = async (w: number) => {
        for (let c = 0; c < CYCLES; c++) {
          const id = `churn-${w}-${c}`;
          const created = await post(tenant, agentBody({ id, metadata: { churn: 'yes' } }));
          expect(created.status).toBe(201);
          const removed = await call(t.baseUrl, 'DELETE', `/v1/agents/${id}${c % 2 === 0 ? '?hard=true' : ''}`, { tenant });
          expect(removed.status).toBe(200);
          cycle++;
        }
      };
      const mismatches: string[] = [];
      let reads = 0;
      const reader = async () => {
        while (writing) {
          const answer = await list(tenant, 'metadata[churn]=yes&limit=100');
          expect(answer.status).toBe(200);
          expect(answer.body.has_more).toBe(false);
          reads++;
          if (answer.body.total_count !== answer.body.data.length) mismatches.push(`total_count ${answer.body.total_count}, ${answer.body.data.length} rows`);
        }
      };

      const readers = inParallel(READERS, reader);
      try {
        await inParallel(WRITERS, writer);
      } finally {
        writing = false;
        await readers;
      }

      expect(cycle).toBe(WRITERS * CYCLES);
      expect(reads).toBeGreaterThan(50);
      expect(mismatches).toEqual([]);
    }, TIMEOUT_MS);

    it("an agent's versions and their total_count too, while PATCHes add versions", async () => {
      const tenant = await t.tenants.create();
      expect((await post(tenant, agentBody({ id: 'versioned' }))).status).toBe(201);
      let writing = true;
      const mismatches: string[] = [];
      let reads = 0;
      const reader = async () => {
        while (writing) {
          const answer = await call(t.baseUrl, 'GET', '/v1/agents/versioned/versions?limit=100', { tenant });
          expect(answer.status).toBe(200);
          reads++;
          if (answer.body.total_count !== answer.body.data.length) mismatches.push(`total_count ${answer.body.total_count}, ${answer.body.data.length} rows`);
        }
      };

      const readers = inParallel(6, reader);
      try {
        for (let round = 0; round < 8; round++) {
          const answers = await inParallel(10, (i) => patch(tenant, 'versioned', { description: `round ${round} writer ${i}` }));
          expect(statuses(answers)).toEqual({ '200': 10 });
        }
      } finally {
        writing = false;
        await readers;
      }

      expect(reads).toBeGreaterThan(20);
      expect(mismatches).toEqual([]);
    }, TIMEOUT_MS);
  });
});
