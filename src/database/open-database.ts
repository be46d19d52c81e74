import type { Environment } from '../config/environment.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { runMigrations } from './run-migrations.js';

export interface OpenDatabase {
  readonly url: string;
  /** The service's own embedded PostgreSQL (DATABASE_URL unset), a database for development. */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL's server, or the embedded one when it is unset; migrated to the latest schema. */
export async function openDatabase(environment: Environment, logger: { log(message: string): void }): Promise<OpenDatabase> {
  let database: OpenDatabase = { url: environment.databaseUrl ?? '', embedded: false, stop: async () => {} };
  if (!environment.databaseUrl) {
    logger.log(`DATABASE_URL is unset: starting the embedded PostgreSQL in ${environment.embeddedPostgres.dataDir}`);
    database = { ...(await startEmbeddedPostgres(environment.embeddedPostgres)), embedded: true };
  }
  const applied = await runMigrations({ ...environment.database, url: database.url });
  if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
  return database;
}
