import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { loadEnvironment } from '../../src/config/environment.js';
import { createApp } from '../../src/create-app.js';
import { MetricsServer } from '../../src/modules/metrics/metrics-server.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TenantFactory } from './tenants.js';

export interface TestApp {
  readonly app: NestFastifyApplication;
  /** http://127.0.0.1:<port> of the listening service. */
  readonly baseUrl: string;
  /** http://127.0.0.1:<port>/metrics, when METRICS_PORT was given (the tests turn it off by default). */
  readonly metricsUrl: string | null;
  /** The database the service runs on (its own, or the one it was given). */
  readonly databaseUrl: string;
  readonly dataSource: DataSource;
  readonly tenants: TenantFactory;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Run on this (migrated) database instead of a fresh one, e.g. to run several instances on one
   * database; it is then left in place at close, for its creator to drop.
   */
  readonly databaseUrl?: string;
}

/** The whole service, configured exactly as main.ts does, on a fresh database and a real socket. */
export async function startTestApp(variables: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database: TestDatabase = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => {} }
    : await createTestDatabase();
  const environment = loadEnvironment({
    DATABASE_URL: database.url, DATABASE_POOL_SIZE: '10', LOG_LEVEL: 'silent', METRICS_PORT: '0', ...variables,
  });
  const app = await createApp(environment, database.url, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const dataSource = app.get(DataSource);
  const metricsPort = app.get(MetricsServer).port;
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    metricsUrl: metricsPort === null ? null : `http://127.0.0.1:${metricsPort}/metrics`,
    databaseUrl: database.url,
    dataSource,
    tenants: new TenantFactory(dataSource),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
