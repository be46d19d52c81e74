import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NestApplicationOptions } from '@nestjs/common';
import { AppModule } from './app.module.js';
import type { Environment } from './config/environment.js';
import { configureApp, fastifyOptions } from './configure-app.js';
import { ServiceMetrics } from './modules/metrics/service-metrics.js';
import { UnversionedPaths } from './shared/http/unversioned-paths.js';

/** The whole service on the database at `databaseUrl`, configured as it serves: main.ts and the tests alike. */
export async function createApp(
  environment: Environment,
  databaseUrl: string,
  options: Pick<NestApplicationOptions, 'logger' | 'bufferLogs'> = {},
): Promise<NestFastifyApplication> {
  const metrics = new ServiceMetrics();
  const unversioned = new UnversionedPaths();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(environment, databaseUrl, metrics),
    new FastifyAdapter(fastifyOptions(environment, metrics, unversioned)),
    { ...options, bodyParser: false },
  );
  unversioned.learnFrom(app.getHttpAdapter().getInstance());
  await configureApp(app, environment);
  return app;
}
