import { DataSource } from 'typeorm';
import type { Environment } from '../config/environment.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../database/embedded-postgres.js';
import { runMigrations } from '../database/run-migrations.js';
import type { CliLogger } from './cli-logger.js';

/** One command at a time: a couple of connections are plenty. */
const CLI_POOL_SIZE = 2;

export interface CliDatabase {
  readonly dataSource: DataSource;
  /** Closes the connections, then stops the embedded PostgreSQL if this process started it. */
  close(): Promise<void>;
}

/**
 * The server's database: DATABASE_URL's, else the embedded one (joined when it runs already),
 * migrated to the latest schema so that the CLI works on a fresh database too.
 */
export async function openCliDatabase(environment: Environment, logger: CliLogger): Promise<CliDatabase> {
  let url = environment.databaseUrl;
  let embedded: EmbeddedDatabase | undefined;
  if (!url) {
    logger.log(`DATABASE_URL is unset: using the embedded PostgreSQL in ${environment.embeddedPostgres.dataDir}`);
    embedded = await startEmbeddedPostgres(environment.embeddedPostgres);
    url = embedded.url;
  }
  const settings = { ...environment.database, poolSize: CLI_POOL_SIZE, url };
  try {
    const applied = await runMigrations(settings);
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
    const dataSource = await new DataSource(dataSourceOptions(settings)).initialize();
    return {
      dataSource,
      close: async () => {
        try {
          await dataSource.destroy();
        } finally {
          await embedded?.stop();
        }
      },
    };
  } catch (error) {
    await embedded?.stop().catch(() => {});
    throw error;
  }
}
