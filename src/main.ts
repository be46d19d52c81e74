import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { BODY_LIMIT_BYTES, configureApp } from './configure-app.js';
import { loadEnvironment } from './config/environment.js';
import { openDatabase } from './database/open-database.js';
import { printDevelopmentKeyIfEmpty } from './database/development-key.js';

async function bootstrap(): Promise<void> {
  const environment = loadEnvironment(process.env);
  const logger = new Logger('Bootstrap');
  const database = await openDatabase(environment, logger);

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(environment, database.url),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    { bodyParser: false, logger: ['error', 'warn', 'log'] },
  );
  configureApp(app, environment);
  await printDevelopmentKeyIfEmpty(app, logger);
  await app.listen(environment.port, environment.host);
  logger.log(`Agents API listening on http://${environment.host}:${environment.port} (docs at /docs)`);

  const stopDatabase = async () => {
    await app.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stopDatabase);
  process.once('SIGINT', stopDatabase);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
