import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { loadEnvironment } from '../../src/config/environment.js';
import { configureApp, fastifyOptions } from '../../src/configure-app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TenantFactory } from './tenants.js';

export interface TestApp {
  readonly app: NestFastifyApplication;
  /** http://127.0.0.1:<port> of the listening service. */
  readonly baseUrl: string;
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
  const environment = loadEnvironment({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '10', LOG_LEVEL: 'silent', ...variables });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(environment, database.url),
    new FastifyAdapter(fastifyOptions(environment)),
    { bodyParser: false, logger: false },
  );
  await configureApp(app, environment);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const dataSource = app.get(DataSource);
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    databaseUrl: database.url,
    dataSource,
    tenants: new TenantFactory(dataSource),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
