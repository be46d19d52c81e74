import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../src/database/data-source-options.js';
import { BATCH, INDEXED_JOINS_ONLY, NUMBER_PENDING } from '../../../src/modules/events/event-sequencer.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** A plan's nodes, every level. */
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

const NUMBERED = 3_000;
const PENDING = 800;

/**
 * The sequencer's run is a walk of the pending events by primary key, on an outbox of tens of
 * thousands of events, with JIT off. (Under load on a fresh database the service once ran it as a
 * hash of the whole outbox, JIT-compiled at 276 ms a run, planned on the never-analysed one-row
 * counter's estimate of 2,200 rows; that state is not rebuilt here: this guards the plan's shape.)
 */
describe("the sequencer's plan", () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions({ url: database.url, poolSize: 2, statementTimeoutMs: 60_000 })).initialize();
    await dataSource.query(`INSERT INTO workspaces (id, name, tier) VALUES ('ws_1', 'Events', 'enterprise')`);
    await dataSource.query(`INSERT INTO projects (id, workspace_id, name) VALUES ('prj_1', 'ws_1', 'Events')`);
    const events = (count: number, position: string) => `
      INSERT INTO agent_events (project_id, id, type, subject, workspace_id, time, data, position)
      SELECT 'prj_1', 'evt_' || n || '${position}', 'agent.created', 'agt_' || n, 'ws_1', now(), '{"agent":{}}', ${position}
        FROM generate_series(1, ${count}) AS n`;
    await dataSource.query(events(NUMBERED, 'n'));
    await dataSource.query(events(PENDING, 'NULL'));
    await dataSource.query(`UPDATE agent_event_counter SET last_position = ${NUMBERED}`);
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('runs on connections with JIT off', async () => {
    expect(await dataSource.query('SHOW jit')).toEqual([{ jit: 'off' }]);
  });

  it('finds each pending event by the primary key, hashing nothing', async () => {
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query(INDEXED_JOINS_ONLY);
      const [row] = await manager.query(`EXPLAIN (FORMAT JSON) ${NUMBER_PENDING}`, [BATCH]);
      return nodesOf(row['QUERY PLAN'][0].Plan);
    });
    const scans = plan.filter((node) => node['Relation Name'] === 'agent_events').map((node) => `${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
    expect(scans).toContain('Index Scan agent_events_pkey');
    expect(scans).not.toContain('Seq Scan');
    expect(plan.map((node) => node['Node Type'])).not.toEqual(expect.arrayContaining([expect.stringMatching(/Hash Join|Merge Join/)]));
  });
});
