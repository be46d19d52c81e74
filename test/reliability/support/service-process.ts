import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep, within } from './http.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SERVICE_ENTRY = 'dist/src/main.js';
const CLI_ENTRY = 'dist/src/cli/main.js';
// Inherited settings that would point the service elsewhere than the test's own database.
const OVERRIDDEN = ['DATABASE_URL', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'PORT', 'HOST', 'RATE_LIMIT_PER_MINUTE', 'REDIS_URL', 'LOG_LEVEL', 'METRICS_PORT'];

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** performance.now() when it exited. */
  readonly at: number;
}

export interface ServiceProcess {
  readonly pid: number;
  readonly baseUrl: string;
  readonly exited: Promise<ExitStatus>;
  exitStatus(): ExitStatus | undefined;
  /** The last lines it printed, for failure messages. */
  output(): string;
  signal(name: NodeJS.Signals): void;
  /** SIGKILL if it is still running (cleanup after a failed test). */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs` (cleanup after a test). */
  stop(graceMs: number): Promise<void>;
}

/** The environment of the built service and its CLI: the given variables over a cleaned copy of ours. */
export function serviceEnvironment(variables: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of OVERRIDDEN) delete env[name];
  return { ...env, NO_COLOR: '1', HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', METRICS_PORT: '0', ...variables };
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** `node dist/src/main.js` as a child process; resolves once it answers HTTP. */
export async function startService(variables: Record<string, string>, startTimeoutMs = 30_000): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVICE_ENTRY], {
    cwd: ROOT,
    env: serviceEnvironment({ ...variables, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolveExit) => {
    child.on('exit', (code, signal) => {
      status = { code, signal, at: performance.now() };
      resolveExit(status);
    });
  });
  const service: ServiceProcess = {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    exited,
    exitStatus: () => status,
    output: () => lines.slice(-60).join('\n'),
    signal: (name) => void child.kill(name),
    kill: () => killChild(child, exited, () => status),
    stop: async (graceMs) => {
      if (status === undefined) child.kill('SIGTERM');
      await within(exited, graceMs);
      await killChild(child, exited, () => status);
    },
  };
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline && status === undefined) {
    if (await answers(service.baseUrl)) return service;
    await sleep(100);
  }
  await service.kill();
  throw new Error(`the service did not answer within ${startTimeoutMs} ms (${status ? `exited ${status.code ?? status.signal}` : 'still running'}):\n${service.output()}`);
}

async function answers(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function killChild(child: ChildProcess, exited: Promise<ExitStatus>, status: () => ExitStatus | undefined): Promise<void> {
  if (status() !== undefined) return;
  child.kill('SIGKILL');
  await within(exited, 5_000);
}

export interface MintedKey {
  readonly token: string;
  readonly id: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly userId: string;
}

/** `node dist/src/cli/main.js api-keys create --tier <tier> --json` on the given database: a new workspace's key. */
export function mintApiKey(databaseUrl: string, tier = 'pro'): Promise<MintedKey> {
  return createKeyWithCli(databaseUrl, ['--tier', tier]);
}

/** A key of a trusted service (it may set isDefault) in an existing workspace, its first project. */
export function mintInternalKey(databaseUrl: string, workspaceId: string): Promise<MintedKey> {
  return createKeyWithCli(databaseUrl, ['--workspace', workspaceId, '--scopes', 'agents:read,agents:write,internal']);
}

async function createKeyWithCli(databaseUrl: string, options: string[]): Promise<MintedKey> {
  const child = spawn(process.execPath, [CLI_ENTRY, 'api-keys', 'create', ...options, '--json'], {
    cwd: ROOT,
    env: serviceEnvironment({ DATABASE_URL: databaseUrl }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolveCode) => child.on('exit', resolveCode));
  const line = stdout.trim().split('\n').reverse().find((text) => text.startsWith('{'));
  if (code !== 0 || line === undefined) throw new Error(`the CLI failed (exit ${code}):\n${stdout}\n${stderr}`);
  return JSON.parse(line) as MintedKey;
}
