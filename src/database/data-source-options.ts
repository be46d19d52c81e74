import type { DataSourceOptions } from 'typeorm';
import { ORM_ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseSettings {
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
}

/** The one description of the database, used by the app, the CLI and ormconfig.ts alike. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ORM_ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: settings.poolSize,
      statement_timeout: settings.statementTimeoutMs,
      // Client-side bounds too, so that a database that stops answering cannot hang a request.
      query_timeout: settings.statementTimeoutMs + 2_000,
      connectionTimeoutMillis: 5_000,
      application_name: 'agents-api',
      // Every statement here is short OLTP work; JIT compiling one costs more than running it
      // (the sequencer's run took 276 ms of compiling, on the estimate of a one-row table).
      options: '-c jit=off',
    },
  };
}
