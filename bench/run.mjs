// The Agents API benchmark: `npm run bench` (after `npm run build`).
//
// Starts the built service (dist/src/main.js) on a fresh database, mints an enterprise API key
// with the built CLI, then for each scenario of lib/scenarios.mjs: its setup, a warm-up, and a
// measured autocannon run against 127.0.0.1. Prints a table and, last, one line per scenario:
//   POST /v1/agents: <rps> req/s, p50 <x> ms, p99 <y> ms, non2xx <n>
// (the stream scenario's line goes on with its SSE figures: events/s, per client, delay).
// The event scenarios (names containing "event": BENCH_SCENARIOS=event) run last: GET /v1/events
// pages, then BENCH_STREAM_CLIENTS (100) clients on GET /v1/events/stream during POST load.
// Progress goes to stderr, the report to stdout. At exit — normal, failed, Ctrl-C or SIGTERM — it
// stops the service and drops the database (or removes the embedded PostgreSQL's directory).
// Exit code: 0; 1 when the service failed to start or died, the key could not be minted, a setup
// failed, any request had no 2xx answer (warm-up included), or a stream client missed an event or
// got one twice; 130/143 when interrupted.
//
// Environment:
//   BENCH_SECONDS (10)         measured seconds per scenario
//   BENCH_CONNECTIONS (64)     concurrent connections
//   BENCH_WARMUP_SECONDS (3)   unmeasured load before each scenario (0: none)
//   BENCH_START_TIMEOUT (120)  seconds for the service to answer, the CLI to finish
//   BENCH_SCALE_SIZES          the project sizes of the "scale" scenarios (1000,100000,1000000)
//   BENCH_SCENARIOS            only the scenarios whose names contain one of these
//                              comma-separated strings (case-insensitive), e.g. "post" or "event"
//   BENCH_STREAM_CLIENTS (100) SSE clients of the stream scenario
//   BENCH_DATABASE_URL         a PostgreSQL server to create the fresh database on (its path is the
//                              database to connect to for that, e.g. /postgres); default: the one
//                              at 127.0.0.1:5432 as postgres when it answers, else the embedded one
//   BENCH_FORCE_EMBEDDED=1     the service's embedded PostgreSQL in a fresh temporary directory,
//                              even when a server answers
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, withClient } from './lib/database.mjs';
import { runLoad, stopCurrentLoad } from './lib/load.mjs';
import { printReport } from './lib/report.mjs';
import { scaleSummary } from './lib/scale.mjs';
import { scenarios as allScenarios } from './lib/scenarios.mjs';
import { describeExit, entries, mintApiKey, serviceEnv, startService } from './lib/service.mjs';
import { BenchError, Cleanup, freePort, intFromEnv, liveChildren, log } from './lib/util.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cleanup = new Cleanup();
let interruptedCode; // set once SIGINT or SIGTERM arrived: the exit code then
let finishing; // the one exit in progress
let mainSettled; // resolves when main() has returned

process.on('SIGINT', () => interrupt('SIGINT', 130));
process.on('SIGTERM', () => interrupt('SIGTERM', 143));
process.on('uncaughtException', (error) => crash(error));
process.on('unhandledRejection', (error) => crash(error));

const mainRun = main();
mainSettled = mainRun.then(() => {}, () => {});
finish(await mainRun);

async function main() {
  let settings;
  try {
    settings = readSettings();
  } catch (error) {
    return reportFailure(error);
  }
  for (const [what, entry] of Object.entries(entries)) {
    if (!existsSync(join(root, entry))) {
      log(`${entry} (the ${what}) is missing: run npm run build first`);
      return 1;
    }
  }

  try {
    const environment = describeMachine();
    const database = await freshDatabase({
      cleanup,
      forceEmbedded: isSet(process.env.BENCH_FORCE_EMBEDDED),
      serverUrl: process.env.BENCH_DATABASE_URL || undefined,
    });
    environment.database = database.description;
    checkInterrupted();

    const port = await freePort();
    const env = serviceEnv(database.env, port);
    log(`starting the service: node ${entries.service} on 127.0.0.1:${port}`);
    const started = Date.now();
    const service = await startService({ root, env, port, startTimeoutMs: settings.startTimeoutSeconds * 1000, cleanup });
    service.exited.then(() => stopCurrentLoad()); // no point loading a dead service
    log(`the service answers (pid ${service.pid}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    checkInterrupted();

    const key = await mintApiKey({ root, env, timeoutMs: settings.startTimeoutSeconds * 1000 });
    log(`API key ${key.id} of the workspace ${key.workspaceId} (scopes ${[].concat(key.scopes ?? []).join(', ')})`);
    checkInterrupted();

    const ctx = makeContext({ baseUrl: service.baseUrl, key, databaseUrl: database.url });
    const results = [];
    for (const scenario of settings.scenarios) {
      results.push(await runScenario(scenario, ctx, service, settings));
    }

    printReport({ results, settings, environment, notes: [...ctx.notes, ...scaleSummary(results)] });
    for (const line of scaleSummary(results)) console.log(line);
    const failed = results.some((result) => result.measured.non2xx > 0 || (result.warmup?.non2xx ?? 0) > 0);
    if (failed) log('some requests had no 2xx answer: exit code 1');
    const wrong = results.some((result) => result.problems.length > 0);
    if (wrong) log('a scenario found a problem (see its notes): exit code 1');
    return failed || wrong ? 1 : 0;
  } catch (error) {
    if (interruptedCode !== undefined) return interruptedCode;
    return reportFailure(error);
  }
}

async function runScenario(scenario, ctx, service, settings) {
  log(`${scenario.name}: setup`);
  const state = await scenario.setup?.(ctx);
  checkInterrupted();
  const request = scenario.request(ctx, state);
  const load = async (phase, seconds) => {
    log(`${scenario.name}: ${phase}, ${seconds} s at ${settings.connections} connections`);
    const result = await runLoad({ baseUrl: ctx.baseUrl, request, seconds, connections: settings.connections });
    checkInterrupted();
    const status = service.exitStatus();
    if (status) {
      throw new BenchError(
        `the service exited during the ${phase} of ${scenario.name} (${describeExit(status)})`,
        `--- last lines of the service's output:\n${service.logTail()}`,
      );
    }
    return result;
  };
  const warmup = settings.warmupSeconds > 0 ? await load('warm-up', settings.warmupSeconds) : undefined;
  const watcher = await scenario.watch?.(ctx, state);
  let measured;
  let watched;
  try {
    measured = await load('measuring', settings.seconds);
    log(`${scenario.name}: ${measured.rps.toFixed(1)} req/s, non-2xx ${measured.non2xx}`);
    watched = await watcher?.finish(measured);
  } finally {
    watcher?.close?.();
  }
  for (const problem of watched?.problems ?? []) log(`${scenario.name}: ${problem}`);
  return { name: scenario.name, warmup, measured, stream: watched?.stream, problems: watched?.problems ?? [] };
}

/** What scenarios get to work with (documented in lib/scenarios.mjs). */
function makeContext({ baseUrl, key, databaseUrl }) {
  const headers = { authorization: `Bearer ${key.token}` };
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const memo = new Map();
  const notes = [];
  return {
    baseUrl,
    key,
    headers,
    jsonHeaders,
    log,
    notes,
    note: (text) => notes.push(text),
    async call(method, path, body) {
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers: body === undefined ? headers : jsonHeaders,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let parsed = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: the text as it is
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    withDb: (work) => withClient(databaseUrl, work),
    once(name, work) {
      if (!memo.has(name)) memo.set(name, work());
      return memo.get(name);
    },
    fail(message, details) {
      throw new BenchError(message, details);
    },
  };
}

function readSettings() {
  const filters = (process.env.BENCH_SCENARIOS ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
  const scenarios =
    filters.length === 0 ? allScenarios : allScenarios.filter((s) => filters.some((f) => s.name.toLowerCase().includes(f)));
  if (scenarios.length === 0) {
    throw new BenchError(`BENCH_SCENARIOS=${process.env.BENCH_SCENARIOS} matches none of: ${allScenarios.map((s) => s.name).join('; ')}`);
  }
  return {
    seconds: intFromEnv('BENCH_SECONDS', 10),
    connections: intFromEnv('BENCH_CONNECTIONS', 64),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 3, { min: 0 }),
    startTimeoutSeconds: intFromEnv('BENCH_START_TIMEOUT', 120),
    scenarios,
  };
}

function describeMachine() {
  return {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    loadAverage: os.loadavg()[0].toFixed(2),
    node: process.version,
  };
}

function isSet(value) {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function checkInterrupted() {
  if (interruptedCode !== undefined) throw new BenchError('interrupted');
}

function reportFailure(error) {
  if (error instanceof BenchError) {
    log(`failed: ${error.message}`);
    if (error.details) process.stderr.write(`${error.details}\n`);
  } else {
    log(`failed: ${error?.stack ?? error}`);
  }
  return 1;
}

function interrupt(name, code) {
  if (interruptedCode !== undefined) {
    log(`${name} again: still cleaning up, please wait`);
    return;
  }
  interruptedCode = code;
  log(`${name}: stopping and cleaning up`);
  stopCurrentLoad();
  for (const child of liveChildren) child.kill('SIGTERM');
  finish(code);
}

function crash(error) {
  reportFailure(error);
  finish(1);
}

/**
 * Cleans up and exits, once, whoever asks first; an interrupt's code wins. An interrupt cleans
 * up at once (stopping the service ends whatever main() waits for), lets main() return (up to
 * 30 s), then undoes what it may have created meanwhile.
 */
function finish(code) {
  finishing ??= (async () => {
    await cleanup.run();
    await Promise.race([mainSettled, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    await cleanup.run();
  })().finally(() => process.exit(interruptedCode ?? code));
  return finishing;
}
