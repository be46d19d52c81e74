import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, within } from './http.js';
import { freePort } from './service-process.js';

/** The header the balancer adds to every answer: the name of the server that gave it. */
export const SERVED_BY = 'x-served-by';

export interface Backend {
  /** Its name in the config, in the stats and in SERVED_BY. */
  readonly name: string;
  readonly baseUrl: string;
}

/** One server's line of the stats page (`;csv`), the fields the tests read. */
export interface ServerStats {
  readonly name: string;
  /** UP, DOWN, "UP 1/2", "DOWN 1/2", MAINT, ... */
  readonly status: string;
  /** Answers by class, as the balancer counted them. */
  readonly hrsp2xx: number;
  readonly hrsp5xx: number;
  /** Retries of a request on this server, and requests redispatched away from it. */
  readonly retries: number;
  readonly redispatches: number;
}

export interface Balancer {
  readonly url: string;
  stats(): Promise<ServerStats[]>;
  /** Resolves once every backend is UP by its health check. */
  waitUntilUp(names: readonly string[], timeoutMs?: number): Promise<void>;
  /** Resolves once this backend is DOWN by its health check. */
  waitUntilDown(name: string, timeoutMs?: number): Promise<void>;
  output(): string;
  /** Its log lines of requests that ended abnormally (termination state other than ----; redispatched ones are logged too). */
  abnormal(): string[];
  stop(): Promise<void>;
}

const HAPROXY = 'haproxy';
const CHECK_INTERVAL_MS = 200;

/**
 * The balancer's config. Round robin over the backends in http mode, each health-checked on
 * /health/ready every CHECK_INTERVAL_MS (down after one failure, up after two passes).
 *
 * Retries: a connection refused (the server stopped listening) and the service's 503 are tried
 * again on the other server (`option redispatch 1`: every retry goes elsewhere). The service's
 * 503 is `shutting_down`, answered before any handler runs (graceful-close.ts): the request was
 * not processed, so replaying it — a POST too — is safe. Nothing else is retried: an empty
 * answer or a timeout may come from a request that was processed, and replaying that POST could
 * write twice; the client sees those as the balancer's 502/504 — or, on a kept-alive client
 * connection, HAProxy closes it without an answer or a log line, its way of saying that the request
 * was not processed and may be retried (haproxy/haproxy#3414).
 */
export function haproxyConfig(port: number, statsPort: number, backends: readonly Backend[]): string {
  const servers = backends.map((backend) => {
    const { hostname, port: backendPort } = new URL(backend.baseUrl);
    return `  server ${backend.name} ${hostname}:${backendPort} check inter ${CHECK_INTERVAL_MS}ms fall 1 rise 2`;
  });
  return [
    'global',
    '  maxconn 2000',
    // Only the abnormal requests (and the redispatched ones) are logged, to stdout, kept for output() and abnormal().
    '  log stdout format raw local0 info',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option httplog',
    '  option dontlog-normal',
    '  timeout connect 500ms',
    '  timeout client 10s',
    '  timeout server 10s',
    '  timeout check 1s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure 503',
    '',
    'frontend api',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    '',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk GET /health/ready',
    `  http-response set-header ${SERVED_BY} %[srv_name]`,
    ...servers,
    '',
    'listen stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

/** `haproxy -f <config> -db` of the test's own (never the system's service), on free ports of 127.0.0.1. */
export async function startHaproxy(backends: readonly Backend[], startTimeoutMs = 10_000): Promise<Balancer> {
  const port = await freePort();
  const statsPort = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'agents-haproxy-'));
  const configFile = join(directory, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(port, statsPort, backends));
  const check = spawnSync(HAPROXY, ['-c', '-q', '-f', configFile], { encoding: 'utf8' });
  if (check.error || check.status !== 0) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`haproxy -c refused the config (is Debian's haproxy installed?): ${check.error?.message ?? ''}${check.stdout}${check.stderr}`);
  }
  const child: ChildProcess = spawn(HAPROXY, ['-f', configFile, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 5_000) lines.splice(0, lines.length - 5_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const statsUrl = `http://127.0.0.1:${statsPort}/stats;csv`;

  const stats = async (): Promise<ServerStats[]> => {
    const response = await fetch(statsUrl, { signal: AbortSignal.timeout(2_000) });
    const [header, ...rows] = (await response.text()).trim().split('\n').map((line) => line.split(','));
    const column = (name: string) => header!.indexOf(name === 'pxname' ? '# pxname' : name);
    const number = (row: string[], name: string) => Number(row[column(name)] || 0);
    return rows
      .filter((row) => row[column('pxname')] === 'instances' && row[column('svname')] !== 'BACKEND')
      .map((row) => ({
        name: row[column('svname')]!,
        status: row[column('status')]!,
        hrsp2xx: number(row, 'hrsp_2xx'),
        hrsp5xx: number(row, 'hrsp_5xx'),
        retries: number(row, 'wretr'),
        redispatches: number(row, 'wredis'),
      }));
  };
  const waitFor = async (what: string, done: (servers: ServerStats[]) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let last: ServerStats[] = [];
    while (Date.now() < deadline && !exited) {
      last = await stats().catch(() => []);
      if (last.length > 0 && done(last)) return;
      await sleep(50);
    }
    throw new Error(`haproxy: ${what} not reached in ${timeoutMs} ms (${exited ? 'exited' : JSON.stringify(last)}):\n${lines.slice(-40).join('\n')}`);
  };
  const balancer: Balancer = {
    url: `http://127.0.0.1:${port}`,
    stats,
    waitUntilUp: (names, timeoutMs = 10_000) =>
      waitFor(`${names.join(', ')} UP`, (servers) => names.every((name) => servers.find((server) => server.name === name)?.status === 'UP'), timeoutMs),
    waitUntilDown: (name, timeoutMs = 10_000) =>
      waitFor(`${name} DOWN`, (servers) => servers.find((server) => server.name === name)?.status.startsWith('DOWN') === true, timeoutMs),
    output: () => lines.slice(-60).join('\n'),
    abnormal: () => lines.filter((text) => / "[A-Z]+ \S+ HTTP\/[\d.]+"$/.test(text) && !/ \d{3} \d+ - - ---- /.test(text)),
    stop: async () => {
      if (!exited) {
        child.kill('SIGTERM');
        if ((await within(exit, 5_000)) === undefined) {
          child.kill('SIGKILL');
          await within(exit, 5_000);
        }
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
  try {
    await balancer.waitUntilUp(backends.map((backend) => backend.name), startTimeoutMs);
  } catch (error) {
    await balancer.stop();
    throw error;
  }
  return balancer;
}
