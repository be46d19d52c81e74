import { statusHistogram, streamCreates } from './support/create-stream.js';
import { send, sleep } from './support/http.js';
import { mintApiKey, startService, type MintedKey, type ServiceProcess } from './support/service-process.js';
import { Tally } from './support/tally.js';
import { loggedEvents, relayDiscrepancies, streamHolds, streamMessages, TestNatsServer } from '../support/nats-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// NATS dies under load: the built service publishes to a nats-server of this test's own while 8
// clients create agents non-stop (in two projects). Mid-stream the nats-server is killed (SIGKILL:
// no flush of its store, no goodbye to its clients) and started again 3 s later on the same port
// and store directory. Creates must not notice; afterwards the stream must hold every event of the
// log exactly once, in position order within each project, and nothing else.

const STREAM = 'AGENT_EVENTS';
const LOOPS = 8;
const BEFORE_KILL_MS = 3_000;
const DOWN_MS = 3_000;
const AFTER_RESTART_MS = 3_000;
/** A create never waits on NATS: its answer stays this fast while NATS is gone. */
const ANSWER_BOUND_MS = 2_000;

describe('a NATS restart under a steady stream of creates', () => {
  const tally = new Tally('event-relay-nats-restart');
  let database: TestDatabase;
  let nats: TestNatsServer;
  let service: ServiceProcess | undefined;
  let keys: MintedKey[];

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await TestNatsServer.start();
    service = await startService({ DATABASE_URL: database.url, NATS_URL: nats.url, SHUTDOWN_TIMEOUT_MS: '5000' });
    keys = [await mintApiKey(database.url, 'pro'), await mintApiKey(database.url, 'pro')];
  }, 60_000);

  afterAll(async () => {
    tally.save();
    await service?.stop(6_000);
    await nats?.remove();
    await database?.drop();
  }, 30_000);

  it('publishes every event of the log exactly once, in order per project, though NATS was killed and restarted mid-stream', async () => {
    let stopAt = Infinity;
    const outage = (async () => {
      try {
        await sleep(BEFORE_KILL_MS);
        await nats.kill();
        await sleep(DOWN_MS);
        await nats.up();
        await sleep(AFTER_RESTART_MS);
      } finally {
        stopAt = performance.now();
      }
    })();
    const attempts = (await Promise.all(keys.map((key, index) => streamCreates({
      baseUrl: () => service!.baseUrl,
      token: key.token,
      tally,
      loops: LOOPS / 2,
      prefix: `nats-${index}`,
      stop: () => performance.now() >= stopAt,
    })))).flat();
    await outage;

    const log = await loggedEvents(database.url);
    const held = await streamHolds(nats, STREAM, log.length, 20_000);
    // Longer than a poll and a retry: nothing more comes.
    await sleep(2_000);
    const messages = await streamMessages(nats, STREAM);
    const discrepancies = relayDiscrepancies(log, messages);
    tally.note(`${attempts.length} creates (${JSON.stringify(statusHistogram(attempts))}); ${log.length} events logged, ${held} in the stream at first, ${messages.length} at the end; ` +
      `relay warnings: ${service!.output().split('\n').filter((line) => /EventRelay|NATS/.test(line)).length}` +
      `${service!.output().includes('publishing again from there') ? ' (NATS lost acknowledged messages; published again)' : ''}`);

    expect(attempts.filter((attempt) => attempt.status !== 201 || attempt.ms > ANSWER_BOUND_MS).map((attempt) => `${attempt.id}: ${attempt.status ?? attempt.error} in ${Math.round(attempt.ms)} ms`)).toEqual([]);
    expect(log.length).toBe(attempts.length);
    expect(discrepancies).toEqual({ missing: [], twice: [], unknown: [], wrongSubject: [], outOfOrder: [] });
    expect(messages.map((message) => message.msgId)).toEqual(log.map((event) => event.id));

    const ready = await send(tally, service!.baseUrl, { method: 'GET', path: '/health/ready' });
    expect(ready.status).toBe(200);
    expect(ready.body.details.eventRelay).toMatchObject({ status: 'up', state: 'publishing' });
  }, 60_000);
});
