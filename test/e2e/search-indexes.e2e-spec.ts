import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import type { AgentFilter } from '../../src/modules/agents/application/agent-queries.port.js';
import { listStatement } from '../../src/modules/agents/infrastructure/typeorm-agent.queries.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SMALL_PROJECTS = 20;
const SMALL_PROJECT_AGENTS = 500;
const BIG_PROJECT_AGENTS = 60_000;

interface PlanNode {
  'Index Name'?: string;
  'Actual Rows': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/** The top node of EXPLAIN (`options`, FORMAT JSON) of the list's own statement for the big project. */
async function explain(dataSource: DataSource, filter: AgentFilter, options = ''): Promise<PlanNode> {
  const { sql, values } = listStatement('prj_big', filter, { limit: 20, order: 'desc' });
  const [row] = await dataSource.query(`EXPLAIN (${options ? `${options}, ` : ''}FORMAT JSON) ${sql}`, values);
  return row['QUERY PLAN'][0].Plan;
}

/** The plan PostgreSQL chooses for the list's own statement, as JSON text. */
async function planOf(dataSource: DataSource, filter: AgentFilter): Promise<string> {
  return JSON.stringify(await explain(dataSource, filter));
}

/**
 * The list's filters read an index of what matches in the project, not every agent of the project:
 * a big project among small ones, as where it matters (in a small project, reading its few rows by
 * the primary key is as good, and the planner may rightly prefer it).
 */
describe('the search indexes', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions({ url: database.url, poolSize: 2, statementTimeoutMs: 60_000 })).initialize();
    await dataSource.query(`INSERT INTO workspaces (id, name, tier) VALUES ('ws_1', 'Bench', 'enterprise')`);
    await dataSource.query(`INSERT INTO projects (id, workspace_id, name) SELECT 'prj_' || p, 'ws_1', 'P' || p FROM generate_series(1, ${SMALL_PROJECTS}) AS p`);
    await dataSource.query(`INSERT INTO projects (id, workspace_id, name) VALUES ('prj_big', 'ws_1', 'Big')`);
    const agents = (projects: string, count: number) => `
      INSERT INTO agents (project_id, id, user_id, name, model, reasoning_effort, metadata, version, created_at, updated_at)
      SELECT project, 'agt_' || n, 'usr_1', CASE WHEN n % 10000 = 0 THEN 'Needle finder ' || n ELSE 'Support bot ' || n END,
             'claude-sonnet-4-5', 'medium', jsonb_build_object('team', 'team-' || (n % 2000), 'n', n), '1.0.0',
             now() - n * interval '1 second', now()
        FROM ${projects}, generate_series(1, ${count}) AS n`;
    await dataSource.query(agents(`(SELECT 'prj_' || p AS project FROM generate_series(1, ${SMALL_PROJECTS}) AS p) AS small`, SMALL_PROJECT_AGENTS));
    await dataSource.query(agents(`(SELECT 'prj_big' AS project) AS big`, BIG_PROJECT_AGENTS));
    await dataSource.query('ANALYZE agents');
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('q (a name search) reads agents_name_trigrams', async () => {
    expect(await planOf(dataSource, { q: 'needle' })).toContain('"Index Name":"agents_name_trigrams"');
  });

  it('metadata[key]=value reads agents_metadata_tokens, for one pair and for two', async () => {
    expect(await planOf(dataSource, { metadata: { team: 'team-7' } })).toContain('"Index Name":"agents_metadata_tokens"');
    expect(await planOf(dataSource, { metadata: { team: 'team-7', n: '7' } })).toContain('"Index Name":"agents_metadata_tokens"');
  });

  it('metadata[key]=value reads a few pages of agents_metadata_tokens, however big the project', async () => {
    const scans: PlanNode[] = [];
    const walk = (node: PlanNode) => {
      if (node['Index Name'] === 'agents_metadata_tokens') scans.push(node);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(await explain(dataSource, { metadata: { team: 'team-7' } }, 'ANALYZE, BUFFERS'));
    // The count's scan and the page's: the 30 matching entries each, from 4 pages. The index on
    // (project_id, metadata jsonb_path_ops) it replaced read 23 here, and 167 in a project of 600,000.
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      expect(scan['Actual Rows']).toBe(BIG_PROJECT_AGENTS / 2000);
      expect(scan['Shared Hit Blocks'] + scan['Shared Read Blocks']).toBeLessThanOrEqual(6);
    }
  });

  it('still finds exactly the matching agents, string values only', async () => {
    const rows = async (filter: AgentFilter) => {
      const { sql, values } = listStatement('prj_big', filter, { limit: 100, order: 'desc' });
      return (await dataSource.query(sql, values)) as { id: string; total_count: number }[];
    };
    expect((await rows({ q: 'NEEDLE' })).map((row) => row.id).sort()).toEqual(['agt_10000', 'agt_20000', 'agt_30000', 'agt_40000', 'agt_50000', 'agt_60000']);
    expect((await rows({ metadata: { team: 'team-7' } }))[0]!.total_count).toBe(BIG_PROJECT_AGENTS / 2000);
    expect((await rows({ metadata: { n: '7' } }))[0]!.total_count).toBe(0);
  });
});
