// Implicit conversion reads the property types emitted as decorator metadata.
import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

// The raw string, not implicit conversion's Boolean('false') === true.
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) =>
  obj[key] === 'true' ? true : obj[key] === 'false' ? false : obj[key];

/** Every environment variable the service reads, with its default; see the README's table. */
class EnvironmentVariables {
  @IsInt() @Min(0) @Max(65_535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsInt() @Min(1) @Max(1_000)
  DATABASE_POOL_SIZE: number = 10;

  @IsInt() @Min(100)
  DATABASE_STATEMENT_TIMEOUT_MS: number = 5_000;

  @IsString()
  EMBEDDED_PG_DIR: string = './.data/postgres';

  @IsInt() @Min(1) @Max(65_535)
  EMBEDDED_PG_PORT: number = 54_329;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsOptional() @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @Transform(toBoolean) @IsBoolean()
  DOCS_ENABLED: boolean = true;

  @IsInt() @Min(0)
  RATE_LIMIT_PER_MINUTE: number = 1_200;

  @IsOptional() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @IsInt() @Min(100)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  @IsInt() @Min(0)
  SHUTDOWN_DRAIN_MS: number = 0;

  @IsInt() @Min(100)
  REQUEST_TIMEOUT_MS: number = 30_000;

  @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  @IsInt() @Min(1) @Max(720)
  IDEMPOTENCY_TTL_HOURS: number = 24;

  @IsInt() @Min(0) @Max(65_535)
  METRICS_PORT: number = 9_464;

  @IsString()
  METRICS_HOST: string = '127.0.0.1';

  @IsInt() @Min(1) @Max(3_650)
  EVENTS_RETENTION_DAYS: number = 7;

  @IsInt() @Min(1) @Max(3_600)
  EVENTS_HEARTBEAT_SECONDS: number = 15;

  @IsOptional() @Matches(/^(nats|tls|wss?):\/\/[^,]+(,(nats|tls|wss?):\/\/[^,]+)*$/, { message: 'NATS_URL must be nats:// URLs, comma-separated' })
  NATS_URL?: string;

  @Matches(/^[A-Za-z0-9_-]{1,255}$/, { message: 'NATS_STREAM must be a JetStream stream name (letters, digits, _ and -)' })
  NATS_STREAM: string = 'AGENT_EVENTS';
}

/** The validated environment; injectable as itself (the class is the DI token). */
export abstract class Environment {
  abstract readonly port: number;
  abstract readonly host: string;
  /** Unset: the service runs its own embedded PostgreSQL. */
  abstract readonly databaseUrl: string | undefined;
  abstract readonly database: { readonly poolSize: number; readonly statementTimeoutMs: number };
  abstract readonly embeddedPostgres: { readonly dataDir: string; readonly port: number };
  abstract readonly logLevel: string;
  /** JSON lines, or readable lines (pino-pretty) for a person at a terminal. */
  abstract readonly logFormat: 'json' | 'pretty';
  abstract readonly docsEnabled: boolean;
  /** Requests per API key per minute; 0 turns the limit off. */
  abstract readonly rateLimitPerMinute: number;
  /** Set: the rate limit is shared by every instance through Redis. */
  abstract readonly redisUrl: string | undefined;
  abstract readonly shutdownTimeoutMs: number;
  /**
   * On SIGTERM, how long to go on serving with /health/ready answering 503 before closing, so that
   * a load balancer stops sending requests first (more than its check interval times its fall count).
   */
  abstract readonly shutdownDrainMs: number;
  abstract readonly requestTimeoutMs: number;
  /** Origins allowed by CORS; empty: CORS stays closed. */
  abstract readonly corsOrigins: readonly string[];
  abstract readonly idempotencyTtlHours: number;
  /** Where GET /metrics is served, never on the API port; port 0: not served. */
  abstract readonly metrics: { readonly port: number; readonly host: string };
  abstract readonly events: {
    /** Events older than this are removed; a cursor before them is 410 cursor_expired. */
    readonly retentionDays: number;
    /** A comment line on every live stream this often, so that proxies keep it open. */
    readonly heartbeatSeconds: number;
  };
  /** Set: every event is also published to the JetStream stream `stream`. */
  abstract readonly nats: { readonly url: string; readonly stream: string } | undefined;
}

/**
 * Reads and checks the environment once, at start; a bad value stops the service, named.
 * `stdoutIsTerminal` picks the default log format: readable for a person, JSON for a collector.
 */
export function loadEnvironment(source: NodeJS.ProcessEnv, stdoutIsTerminal = false): Environment {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const variables = plainToInstance(EnvironmentVariables, present, { enableImplicitConversion: true });
  const errors = validateSync(variables, { whitelist: false });
  if (errors.length > 0) {
    const problems = errors.map((error) => `${error.property}=${JSON.stringify(source[error.property])}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  return {
    port: variables.PORT,
    host: variables.HOST,
    databaseUrl: variables.DATABASE_URL,
    database: { poolSize: variables.DATABASE_POOL_SIZE, statementTimeoutMs: variables.DATABASE_STATEMENT_TIMEOUT_MS },
    embeddedPostgres: { dataDir: variables.EMBEDDED_PG_DIR, port: variables.EMBEDDED_PG_PORT },
    logLevel: variables.LOG_LEVEL,
    logFormat: variables.LOG_FORMAT ?? (stdoutIsTerminal ? 'pretty' : 'json'),
    docsEnabled: variables.DOCS_ENABLED,
    rateLimitPerMinute: variables.RATE_LIMIT_PER_MINUTE,
    redisUrl: variables.REDIS_URL,
    shutdownTimeoutMs: variables.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: variables.SHUTDOWN_DRAIN_MS,
    requestTimeoutMs: variables.REQUEST_TIMEOUT_MS,
    corsOrigins: (variables.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    idempotencyTtlHours: variables.IDEMPOTENCY_TTL_HOURS,
    metrics: { port: variables.METRICS_PORT, host: variables.METRICS_HOST },
    events: { retentionDays: variables.EVENTS_RETENTION_DAYS, heartbeatSeconds: variables.EVENTS_HEARTBEAT_SECONDS },
    nats: variables.NATS_URL === undefined ? undefined : { url: variables.NATS_URL, stream: variables.NATS_STREAM },
  };
}
