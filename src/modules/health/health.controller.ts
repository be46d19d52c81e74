import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ApiErrorResponses } from '../../shared/http/api-error-responses.decorator.js';
import { Public } from '../auth/auth.decorators.js';
import { EventRelayStatus } from '../events/relay/relay-status.js';
import { Draining } from './draining.js';

const DATABASE_TIMEOUT_MS = 1_500;

/** Liveness and readiness for the orchestrator: no key needed, outside /v1. */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly relay: EventRelayStatus,
    private readonly draining: Draining,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({
    summary: 'The process is up (it answers)',
    description: 'The liveness probe: 200 `{"status":"ok"}` while the process runs, whatever the database does. No key needed, and not rate limited.',
    operationId: 'live',
  })
  @ApiOkResponse({ description: '{"status":"ok"}' })
  @ApiErrorResponses(500)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({
    summary: 'The service can serve: database reachable and every migration applied',
    description:
      `The readiness probe: 200 when the database answers within ${DATABASE_TIMEOUT_MS} ms and every migration is applied, ` +
      'else 503 with Retry-After and a body naming the failing check (also from SIGTERM on, while the instance drains: SHUTDOWN_DRAIN_MS). With NATS_URL it also reports the NATS relay ' +
      '(`eventRelay`: its state, backlog and lag), which never makes the service unready. No key needed, and not rate limited.',
    operationId: 'ready',
  })
  @ApiOkResponse({ description: 'Ready: {"status":"ok", ...}' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: {"status":"error", ...}, with Retry-After' })
  @ApiErrorResponses(500)
  async ready(@Res() reply: FastifyReply): Promise<void> {
    if (this.draining.active) {
      void reply.status(503).header('retry-after', '5').send(DRAINING);
      return;
    }
    try {
      const result: HealthCheckResult = await this.health.check([
        () => this.database.pingCheck('database').withTimeout(DATABASE_TIMEOUT_MS),
        () => this.migrationsApplied(),
        ...(this.relay.enabled ? [() => this.relayReport()] : []),
      ]);
      void reply.status(200).send(result);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503).header('retry-after', '5').send(withoutDriverMessages(error.getResponse() as HealthCheckResult));
    }
  }

  // Always up: events wait for NATS in the database, and the service serves without it.
  private relayReport() {
    const { state, backlog, lagSeconds } = this.relay;
    return this.indicators.check('eventRelay').up({ state, backlog, lagSeconds: Math.round(lagSeconds * 1000) / 1000 });
  }

  private async migrationsApplied() {
    const check = this.indicators.check('migrations');
    try {
      return (await this.dataSource.showMigrations()) ? check.down('migrations are pending') : check.up();
    } catch {
      return check.down('could not read the migrations table');
    }
  }
}

const DATABASE_DOWN = 'the database does not answer';
// While it drains after SIGTERM: still serving, but a balancer should send its requests elsewhere.
const DRAINING = { status: 'error', info: {}, error: { shutdown: { status: 'down', message: 'stopping: send requests elsewhere' } }, details: { shutdown: { status: 'down', message: 'stopping: send requests elsewhere' } } };

// The route needs no key: a driver's message (database names, hosts) is not for anyone to read.
function withoutDriverMessages(result: HealthCheckResult): HealthCheckResult {
  type Section = HealthCheckResult['details'];
  const clean = <T extends Partial<Section> | undefined>(section: T): T =>
    section?.database?.status === 'down' ? ({ ...section, database: { status: 'down', message: DATABASE_DOWN } } as T) : section;
  return { ...result, error: clean(result.error), details: clean(result.details) };
}
