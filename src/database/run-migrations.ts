import { DataSource } from 'typeorm';
import { dataSourceOptions, type DatabaseSettings } from './data-source-options.js';

// Several instances may start at once: one migrates, the others wait, then find nothing to do.
const MIGRATION_LOCK = 'SELECT pg_advisory_lock(hashtext($1))';
const MIGRATION_UNLOCK = 'SELECT pg_advisory_unlock(hashtext($1))';
const LOCK_NAME = 'agents-api-migrations';

/** Applies the pending migrations; returns their names. */
export async function runMigrations(settings: DatabaseSettings): Promise<string[]> {
  const dataSource = await new DataSource({ ...dataSourceOptions(settings), extra: { max: 2 } }).initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query(MIGRATION_LOCK, [LOCK_NAME]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query(MIGRATION_UNLOCK, [LOCK_NAME]).catch(() => {});
    await lock.release();
    await dataSource.destroy();
  }
}
