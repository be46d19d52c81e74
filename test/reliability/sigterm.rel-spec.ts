import { reconcile, statusHistogram, storedAgentIds, streamCreates, type CreateAttempt } from './support/create-stream.js';
import { sleep, within } from './support/http.js';
import { mintApiKey, startService, type MintedKey, type ServiceProcess } from './support/service-process.js';
import { Tally } from './support/tally.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// SIGTERM under load: the built service, as a child process on a database of its own, with 8
// clients creating agents non-stop. Mid-stream it gets SIGTERM; the clients keep sending for a
// while (refused connections and 503s are expected then). It must exit 0 within
// SHUTDOWN_TIMEOUT_MS, having answered the requests in flight, and every create it acknowledged
// must be in the database (and none it did not).

const SHUTDOWN_TIMEOUT_MS = 5_000;
const LOOPS = 8;
const BEFORE_SIGTERM_MS = 2_000;
const AFTER_SIGTERM_MS = 1_500;
/** A request sent this long before SIGTERM had reached the service: it must be answered, not cut. */
const IN_FLIGHT_MARGIN_MS = 50;

describe('SIGTERM under a steady stream of creates', () => {
  const tally = new Tally('sigterm');
  let database: TestDatabase;
  let service: ServiceProcess | undefined;
  let key: MintedKey;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startService({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });
    key = await mintApiKey(database.url, 'pro');
  }, 60_000);

  afterAll(async () => {
    tally.save();
    await service?.kill();
    await database?.drop();
  }, 30_000);

  it(`finishes the requests in flight, exits 0 within ${SHUTDOWN_TIMEOUT_MS} ms, and every acknowledged create is stored`, async () => {
    const startedAt = performance.now();
    let sigtermAt = Infinity;
    const signal = (async () => {
      await sleep(BEFORE_SIGTERM_MS);
      sigtermAt = performance.now();
      service!.signal('SIGTERM');
    })();
    const attempts = await streamCreates({
      baseUrl: () => service!.baseUrl,
      token: key.token,
      tally,
      loops: LOOPS,
      prefix: 'term',
      stop: () => performance.now() >= sigtermAt + AFTER_SIGTERM_MS,
      timeoutMs: 10_000,
    });
    await signal;
    const exit = await within(service!.exited, SHUTDOWN_TIMEOUT_MS + 5_000);

    const at = (attempt: CreateAttempt) => Math.round(attempt.sentAt - startedAt);
    const line = (attempt: CreateAttempt) => `${attempt.id} sent at ${at(attempt)} ms: ${attempt.status ?? attempt.error} ${attempt.code ?? ''} in ${Math.round(attempt.ms)} ms`;
    const inFlight = attempts.filter((attempt) => attempt.sentAt < sigtermAt && attempt.sentAt + attempt.ms > sigtermAt);
    const stoppedAfterMs = exit ? Math.round(exit.at - sigtermAt) : undefined;
    const cut = attempts.filter((attempt) => attempt.status === null && attempt.sentAt < sigtermAt + 5);
    const offset = (attempt: CreateAttempt) => Math.round(attempt.sentAt - sigtermAt);
    const cutNote = cut.length === 0 ? '' : `; ${cut.length} cut by the close, sent at ${cut.map((attempt) => `${offset(attempt) >= 0 ? '+' : ''}${offset(attempt)}`).join(', ')} ms from SIGTERM`;
    tally.note(
      `${attempts.length} creates by ${LOOPS} clients, SIGTERM at ${Math.round(sigtermAt - startedAt)} ms with ${inFlight.length} in flight; ` +
        `exit ${exit ? `code ${exit.code}${exit.signal ? ` signal ${exit.signal}` : ''} after ${stoppedAfterMs} ms` : 'none'}; answers ${JSON.stringify(statusHistogram(attempts))}${cutNote}`,
    );

    // Exited by itself, 0, in time.
    expect(exit).toBeDefined();
    expect({ code: exit!.code, signal: exit!.signal }).toEqual({ code: 0, signal: null });
    expect(stoppedAfterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);

    // Before SIGTERM every create succeeded, and the ones in flight at SIGTERM were answered, not cut.
    expect(attempts.filter((attempt) => attempt.sentAt + attempt.ms < sigtermAt).length).toBeGreaterThan(LOOPS * 5);
    expect(attempts.filter((attempt) => attempt.sentAt < sigtermAt - IN_FLIGHT_MARGIN_MS && attempt.status !== 201).map(line)).toEqual([]);
    // After it: 201 (in flight), 503 (while closing), or no connection (closed); never a 500.
    expect(attempts.filter((attempt) => attempt.status !== null && attempt.status !== 201 && attempt.status !== 503).map(line)).toEqual([]);
    // It stopped taking requests: the last ones found it gone.
    expect(attempts.some((attempt) => attempt.sentAt > sigtermAt && attempt.status !== 201)).toBe(true);

    const { lost, extra } = reconcile(attempts, await storedAgentIds(database.url, key.projectId));
    tally.rowsLost(lost.length);
    tally.extraRows(extra.length);
    expect(lost).toEqual([]);
    expect(extra.map(line)).toEqual([]);
  }, 60_000);
});
