import { loadEnvironment } from './environment.js';

describe('loadEnvironment', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadEnvironment({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      database: { poolSize: 10, statementTimeoutMs: 5_000 },
      embeddedPostgres: { dataDir: './.data/postgres', port: 54_329 },
      logLevel: 'info',
      logFormat: 'json',
      docsEnabled: true,
      rateLimitPerMinute: 1_200,
      redisUrl: undefined,
      shutdownTimeoutMs: 10_000,
      shutdownDrainMs: 0,
      requestTimeoutMs: 30_000,
      corsOrigins: [],
      idempotencyTtlHours: 24,
      metrics: { port: 9_464, host: '127.0.0.1' },
      events: { retentionDays: 7, heartbeatSeconds: 15 },
      nats: undefined,
    });
  });

  it('relays to NATS only when NATS_URL is set, to the stream AGENT_EVENTS unless NATS_STREAM names another', () => {
    expect(loadEnvironment({ NATS_URL: 'nats://127.0.0.1:4222' }).nats).toEqual({ url: 'nats://127.0.0.1:4222', stream: 'AGENT_EVENTS' });
    expect(loadEnvironment({ NATS_URL: 'nats://a:4222,nats://b:4222', NATS_STREAM: 'EVENTS_2' }).nats).toEqual({ url: 'nats://a:4222,nats://b:4222', stream: 'EVENTS_2' });
    expect(loadEnvironment({ NATS_STREAM: 'EVENTS_2' }).nats).toBeUndefined();
  });

  it('logs readable lines by default only to a terminal, and as LOG_FORMAT says', () => {
    expect(loadEnvironment({}, true).logFormat).toBe('pretty');
    expect(loadEnvironment({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadEnvironment({ LOG_FORMAT: 'pretty' }, false).logFormat).toBe('pretty');
  });

  it('turns the metrics port off with 0 and binds it where METRICS_HOST says', () => {
    expect(loadEnvironment({ METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 0, host: '0.0.0.0' });
  });

  it('reads every variable, booleans from their text', () => {
    const environment = loadEnvironment({
      PORT: '8080', DATABASE_URL: 'postgres://u@db/agents', RATE_LIMIT_PER_MINUTE: '0', DOCS_ENABLED: 'false',
      REDIS_URL: 'redis://127.0.0.1:6379', CORS_ORIGINS: 'https://a.example, https://b.example', LOG_LEVEL: 'warn',
    });
    expect(environment).toMatchObject({
      port: 8080, databaseUrl: 'postgres://u@db/agents', rateLimitPerMinute: 0, docsEnabled: false,
      redisUrl: 'redis://127.0.0.1:6379', corsOrigins: ['https://a.example', 'https://b.example'], logLevel: 'warn',
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['DOCS_ENABLED', 'yes'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_URL', 'http://redis'],
    ['SHUTDOWN_TIMEOUT_MS', '5'],
    ['SHUTDOWN_DRAIN_MS', '-1'],
    ['LOG_FORMAT', 'xml'],
    ['METRICS_PORT', '65536'],
    ['EVENTS_RETENTION_DAYS', '0'],
    ['EVENTS_HEARTBEAT_SECONDS', '0'],
    ['NATS_URL', 'http://nats:4222'],
    ['NATS_STREAM', 'agents.events'],
  ])('stops on a bad %s, naming it', (name, value) => {
    expect(() => loadEnvironment({ [name]: value })).toThrow(new RegExp(`^Invalid environment:\\n  ${name}=`));
  });
});
