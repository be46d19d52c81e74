import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { jsonRequest, send, type Received } from './support/http.js';
import { mintApiKey, mintInternalKey, startService, type MintedKey, type ServiceProcess } from './support/service-process.js';
import { Tally } from './support/tally.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Moving the default agent, hammered: two instances of the built service on one database, and
// round after round of 63 requests at once in one project, mixing every route that moves the flag
// (creates with isDefault, with and without an Idempotency-Key, PATCH { isDefault: true }) with
// routes that lock the same rows (un-sets of the flag, restores with a key, other PATCHes,
// deletes). Every request must get its 2xx (no 5xx, no 409); after each round the project has at
// most one default, one of the agents that took it in that round, and after a last move exactly one.

const INSTANCES = 2;
const ROUNDS = 6;
const TARGETS = 30;
const TIMEOUT_MS = 120_000;

type Kind = 'create-default-keyed' | 'create-default' | 'patch-default' | 'patch-undefault' | 'restore-keyed' | 'patch-description' | 'delete-spare';
const KINDS: readonly Kind[] = ['create-default-keyed', 'create-default', 'patch-default', 'patch-undefault', 'restore-keyed', 'patch-description', 'delete-spare'];
const EXPECTED: Record<Kind, number> = {
  'create-default-keyed': 201, 'create-default': 201, 'patch-default': 200, 'patch-undefault': 200, 'restore-keyed': 201, 'patch-description': 200, 'delete-spare': 200,
};
const PARALLEL = KINDS.length * 9;

describe('moving the default agent under load, on two instances', () => {
  const tally = new Tally('default-move-race');
  let database: TestDatabase;
  let db: pg.Client;
  const services: ServiceProcess[] = [];
  let key: MintedKey;
  const acknowledged = new Set<string>();

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < INSTANCES; i++) services.push(await startService({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '10' }));
    const owner = await mintApiKey(database.url, 'team');
    key = await mintInternalKey(database.url, owner.workspaceId);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  }, TIMEOUT_MS);

  afterAll(async () => {
    tally.note(`${ROUNDS} rounds of ${PARALLEL} parallel requests on ${INSTANCES} instances: ${KINDS.join(', ')}`);
    tally.save();
    await db?.end();
    for (const service of services) await service.kill();
    await database?.drop();
  }, 30_000);

  const request = (i: number, method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    send(tally, services[Math.floor(i / KINDS.length) % services.length].baseUrl, jsonRequest(method, path, key.token, body, headers), 30_000);
  const defaults = async () =>
    (await db.query<{ id: string }>('SELECT id FROM agents WHERE project_id = $1 AND is_default AND deleted_at IS NULL', [key.projectId])).rows.map((row) => row.id);

  it(`${ROUNDS} rounds of ${PARALLEL} requests: every one answered 2xx, never two defaults, one after the last move`, async () => {
    const targets = Array.from({ length: TARGETS }, (_, i) => `target-${i}`);
    for (const id of targets) {
      const answer = await request(0, 'POST', '/v1/agents', { id, name: `Target ${id}`, model: 'claude-sonnet-4-5' });
      expect([id, answer.status]).toEqual([id, 201]);
    }

    /** "patch-default 500 internal_error" → how many times. */
    const failures: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const spares = Array.from({ length: PARALLEL }, (_, i) => `spare-${round}-${i}`);
      const toDelete = spares.filter((_, i) => KINDS[i % KINDS.length] === 'delete-spare');
      for (const id of toDelete) expect((await request(0, 'POST', '/v1/agents', { id, name: 'Spare', model: 'claude-haiku-4-5' })).status).toBe(201);

      const sent: { kind: Kind; id: string; answer: Received }[] = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, i) => {
          const kind = KINDS[i % KINDS.length];
          const target = targets[(i * 7 + round) % targets.length];
          const created = `default-${round}-${i}`;
          const answer = await (() => {
            switch (kind) {
              case 'create-default-keyed':
                return request(i, 'POST', '/v1/agents', { id: created, name: 'Default', model: 'claude-sonnet-4-5', isDefault: true }, { 'idempotency-key': randomUUID() });
              case 'create-default':
                return request(i, 'POST', '/v1/agents', { id: created, name: 'Default', model: 'claude-sonnet-4-5', isDefault: true });
              case 'patch-default':
                return request(i, 'PATCH', `/v1/agents/${target}`, { isDefault: true, metadata: { round, i } });
              case 'patch-undefault':
                return request(i, 'PATCH', `/v1/agents/${targets[(i * 7 + round + 1) % targets.length]}`, { isDefault: false });
              case 'restore-keyed':
                return request(i, 'POST', `/v1/agents/${target}/versions/1.0.0/restore`, undefined, { 'idempotency-key': randomUUID() });
              case 'patch-description':
                return request(i, 'PATCH', `/v1/agents/${target}`, { description: `round ${round} request ${i}` });
              case 'delete-spare':
                return request(i, 'DELETE', `/v1/agents/${spares[i]}`, undefined);
            }
          })();
          const id = kind.startsWith('create') ? created : kind === 'delete-spare' ? spares[i] : kind === 'patch-undefault' ? targets[(i * 7 + round + 1) % targets.length] : target;
          return { kind, id, answer };
        }),
      );

      for (const { kind, id, answer } of sent) {
        if (answer.status === EXPECTED[kind]) {
          if (kind.startsWith('create')) acknowledged.add(id);
          continue;
        }
        const line = `${kind} ${answer.status ?? answer.error} ${answer.body?.code ?? ''}`.trim();
        failures[line] = (failures[line] ?? 0) + 1;
      }
      const movers = sent.filter(({ kind, answer }) => (kind.startsWith('create') || kind === 'patch-default') && answer.status === EXPECTED[kind]).map(({ id }) => id);
      const now = await defaults();
      expect([round, now.length <= 1]).toEqual([round, true]);
      if (now.length === 1) expect(movers).toContain(now[0]);
    }
    const last = await request(0, 'PATCH', `/v1/agents/${targets[0]}`, { isDefault: true });
    expect(last.status).toBe(200);
    expect(await defaults()).toEqual([targets[0]]);

    expect(failures).toEqual({});
    expect(tally.count('5xx')).toBe(0);
    // Every acknowledged create is stored, and no create that was refused is.
    const stored = new Set(
      (await db.query<{ id: string }>("SELECT id FROM agents WHERE project_id = $1 AND id LIKE 'default-%'", [key.projectId])).rows.map((row) => row.id),
    );
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    const extra = [...stored].filter((id) => !acknowledged.has(id));
    tally.rowsLost(lost.length);
    tally.extraRows(extra.length);
    expect({ lost, extra }).toEqual({ lost: [], extra: [] });
    // Each agent that lost the flag recorded that change: none is left with a time before its last version's.
    const backwards = await db.query(
      `SELECT a.id FROM agents a JOIN LATERAL (SELECT max(created_at) AS at FROM agent_versions v WHERE v.project_id = a.project_id AND v.agent_id = a.id) v ON true
        WHERE a.project_id = $1 AND a.updated_at < v.at`,
      [key.projectId],
    );
    expect(backwards.rows).toEqual([]);
  }, TIMEOUT_MS * 2);
});
