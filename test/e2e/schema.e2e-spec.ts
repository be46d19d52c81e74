import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('the schema', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions({ url: database.url, poolSize: 2, statementTimeoutMs: 10_000 })).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('built by the migrations is exactly the one the entities describe (no drift, nothing for synchronize to do)', async () => {
    const drift = await dataSource.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has no migration pending', async () => {
    await expect(dataSource.showMigrations()).resolves.toBe(false);
  });

  it('keys every growing table by project first', async () => {
    const primaryKeys = await dataSource.query(`
      SELECT t.relname AS table, a.attname AS first_column
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
       WHERE i.indisprimary AND t.relname IN ('agents', 'agent_versions', 'idempotency_keys', 'agent_events', 'agent_event_horizons', 'agent_labels', 'agent_counts')
       ORDER BY t.relname`);
    expect(primaryKeys).toEqual([
      { table: 'agent_counts', first_column: 'project_id' },
      { table: 'agent_event_horizons', first_column: 'project_id' },
      { table: 'agent_events', first_column: 'project_id' },
      { table: 'agent_labels', first_column: 'project_id' },
      { table: 'agent_versions', first_column: 'project_id' },
      { table: 'agents', first_column: 'project_id' },
      { table: 'idempotency_keys', first_column: 'project_id' },
    ]);
  });
});
