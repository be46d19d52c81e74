// The built service (dist/src/main.js) as a child process, and its CLI for the API key.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BenchError, isAlive, log, runCommand, signal, sleep, Tail, waitFor } from './util.mjs';

const SERVICE_ENTRY = 'dist/src/main.js';
const CLI_ENTRY = 'dist/src/cli/main.js';
// Inherited settings that would point the service elsewhere than the benchmark's own database.
const OVERRIDDEN = ['DATABASE_URL', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'PORT', 'HOST', 'RATE_LIMIT_PER_MINUTE'];

export const entries = { service: SERVICE_ENTRY, cli: CLI_ENTRY };

/** The V8 flags of `npm run start:prod` (package.json): the service is measured as it is run. */
function productionNodeFlags(root) {
  const { scripts } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  return scripts['start:prod'].split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * The environment of the service and of the CLI: ours over the inherited one. No rate limit
 * (RATE_LIMIT_PER_MINUTE=0): every request comes with the one key, whose limit would answer 429s.
 */
export function serviceEnv(databaseEnv, port) {
  const env = { ...process.env };
  for (const name of OVERRIDDEN) delete env[name];
  return { ...env, ...databaseEnv, PORT: String(port), HOST: '127.0.0.1', NO_COLOR: '1', RATE_LIMIT_PER_MINUTE: '0' };
}

/**
 * Spawns `node dist/src/main.js`, with start:prod's V8 flags, in a process group of its own
 * (Ctrl-C in the terminal reaches the benchmark only, which then stops the service in order),
 * registers its stop with `cleanup`, and resolves once it answers HTTP on 127.0.0.1:port.
 */
export async function startService({ root, env, port, startTimeoutMs, cleanup }) {
  const tail = new Tail(80);
  const child = spawn(process.execPath, [...productionNodeFlags(root), SERVICE_ENTRY], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exit; // { code, signal } once it has exited
  const exited = new Promise((resolve) => {
    child.on('exit', (code, sig) => {
      exit = { code, signal: sig };
      resolve(exit);
    });
  });
  const spawnError = new Promise((resolve) => child.on('error', resolve));
  child.stdout.on('data', (chunk) => tail.push(chunk));
  child.stderr.on('data', (chunk) => tail.push(chunk));

  const service = {
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    logTail: () => tail.text(),
    exitStatus: () => exit,
    exited,
    stop: () => stopService(child, exited, () => exit),
  };
  cleanup.add(`stop the service (pid ${child.pid})`, service.stop);

  const failure = await Promise.race([
    spawnError.then((error) => `could not start ${SERVICE_ENTRY}: ${error.message}`),
    exited.then((status) => `the service exited while starting (${describeExit(status)})`),
    waitUntilAnswering(service.baseUrl, startTimeoutMs, () => exit !== undefined).then((answered) =>
      answered ? undefined : `the service did not answer on ${service.baseUrl} within ${startTimeoutMs / 1000} s`,
    ),
  ]);
  if (failure) throw new BenchError(failure, `--- last lines of the service's output:\n${tail.text()}`);
  return service;
}

/** Polls POST /v1/agents without credentials: any HTTP answer (a 401) means it is up. */
async function waitUntilAnswering(baseUrl, timeoutMs, gaveUp) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    try {
      const response = await fetch(`${baseUrl}/v1/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      if (response.status !== 401) log(`warning: POST /v1/agents without a key answered ${response.status}, not 401`);
      return true;
    } catch {
      await sleep(250);
    }
  }
  return false;
}

/**
 * SIGTERM to the service (it closes the app and stops its embedded PostgreSQL), up to 20 s;
 * then SIGKILL to its whole process group. Whatever is left in the group afterwards (an
 * embedded postmaster orphaned by a crash) gets SIGINT, PostgreSQL's fast shutdown, then SIGKILL.
 */
async function stopService(child, exited, exitStatus) {
  const group = child.pid;
  if (group === undefined) return;
  if (!exitStatus()) {
    signal(group, 'SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
    if (!stopped) {
      log(`the service (pid ${group}) is still running 20 s after SIGTERM: SIGKILL`);
      signal(-group, 'SIGKILL');
      await Promise.race([exited, sleep(5_000)]);
    }
  }
  // The group id stays reserved while any member lives, so this reaches only what we started.
  if (signal(-group, 'SIGINT')) {
    if (!(await waitFor(() => !groupAlive(group), 10_000))) signal(-group, 'SIGKILL');
  }
  log(`stopped the service (${describeExit(exitStatus())})`);
}

function groupAlive(group) {
  return isAlive(-group);
}

export function describeExit(status) {
  if (!status) return 'still running';
  return status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
}

/**
 * `node dist/src/cli/main.js api-keys create --tier enterprise --json` against the same
 * database; the key is the last stdout line that parses as a JSON object with a token.
 */
export async function mintApiKey({ root, env, timeoutMs }) {
  const args = [CLI_ENTRY, 'api-keys', 'create', '--tier', 'enterprise', '--json'];
  log(`minting an API key: node ${args.join(' ')}`);
  const result = await runCommand(process.execPath, args, { cwd: root, env, timeoutMs });
  const output = `--- stdout:\n${result.stdout.trim()}\n--- stderr:\n${result.stderr.trim()}`;
  if (result.timedOut) throw new BenchError(`the CLI did not finish within ${timeoutMs / 1000} s`, output);
  if (result.code !== 0) throw new BenchError(`the CLI failed (${describeExit(result)})`, output);
  for (const line of result.stdout.split('\n').reverse()) {
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    if (typeof value.token !== 'string' || value.token === '') {
      throw new BenchError('the last JSON line of the CLI has no "token"', output);
    }
    return value; // { token, id, workspaceId, projectId, userId, scopes, expiresAt }
  }
  throw new BenchError('the CLI printed no JSON line', output);
}
