import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { loadEnvironment } from '../../src/config/environment.js';
import { BODY_LIMIT_BYTES, configureApp } from '../../src/configure-app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TenantFactory } from './tenants.js';

export interface TestApp {
  readonly app: NestFastifyApplication;
  /** http://127.0.0.1:<port> of the listening service. */
  readonly baseUrl: string;
  readonly dataSource: DataSource;
  readonly tenants: TenantFactory;
  close(): Promise<void>;
}

/** The whole service, configured exactly as main.ts does, on a fresh database and a real socket. */
export async function startTestApp(): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase();
  const environment = loadEnvironment({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '10' });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(environment, database.url),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    { bodyParser: false, logger: false },
  );
  configureApp(app, environment);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const dataSource = app.get(DataSource);
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    dataSource,
    tenants: new TenantFactory(dataSource),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
