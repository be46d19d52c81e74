import { statusHistogram, streamCreates, type CreateAttempt } from './support/create-stream.js';
import { send, sleep } from './support/http.js';
import { mintApiKey, startService, type MintedKey, type ServiceProcess } from './support/service-process.js';
import { Tally } from './support/tally.js';
import { loggedEvents, relayDiscrepancies, streamHolds, streamMessages, TestNatsServer } from '../support/nats-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Two instances of the built service on one database, publishing to one nats-server of this
// test's own, under a steady stream of creates sent to both. Exactly one of them publishes at any
// time (the other stands by), and the stream holds every event of the log once, in order. Then the
// publishing one is killed (SIGKILL, mid-publish as likely as not): the other takes over within
// seconds, and still every event is in the stream exactly once.

const STREAM = 'AGENT_EVENTS';
const LOOPS = 8;
const LOAD_MS = 5_000;
const BEFORE_KILL_MS = 2_000;
const AFTER_KILL_MS = 5_000;
/** The standby's attempts at the lock come every 2 s; PostgreSQL frees a killed leader's lock at once. */
const TAKEOVER_BOUND_MS = 5_000;

type RelayState = string | undefined;

async function relayState(tally: Tally, service: ServiceProcess): Promise<RelayState> {
  const ready = await send(tally, service.baseUrl, { method: 'GET', path: '/health/ready' }, 2_000);
  return ready.status === 200 ? ready.body.details?.eventRelay?.state : `not ready (${ready.status ?? ready.error})`;
}

describe('two instances publishing one log to NATS', () => {
  const tally = new Tally('event-relay-instances');
  let database: TestDatabase;
  let nats: TestNatsServer;
  let services: ServiceProcess[] = [];
  let key: MintedKey;

  /** The whole log against the whole stream, once the stream has caught up. */
  async function expectStreamIsTheLog(): Promise<number> {
    const log = await loggedEvents(database.url);
    await streamHolds(nats, STREAM, log.length, 20_000);
    await sleep(2_000);
    const messages = await streamMessages(nats, STREAM);
    expect(relayDiscrepancies(log, messages)).toEqual({ missing: [], twice: [], unknown: [], wrongSubject: [], outOfOrder: [] });
    expect(messages.map((message) => message.msgId)).toEqual(log.map((event) => event.id));
    return log.length;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await TestNatsServer.start();
    const variables = { DATABASE_URL: database.url, NATS_URL: nats.url, SHUTDOWN_TIMEOUT_MS: '5000' };
    services = [await startService(variables), await startService(variables)];
    key = await mintApiKey(database.url, 'pro');
  }, 60_000);

  afterAll(async () => {
    tally.save();
    for (const service of services) await service.stop(6_000);
    await nats?.remove();
    await database?.drop();
  }, 30_000);

  it('one publishes, the other stands by, and every event is in the stream exactly once, in order', async () => {
    const startedAt = performance.now();
    let sent = 0;
    const samples: RelayState[][] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await Promise.all(services.map((service) => relayState(tally, service))));
        await sleep(100);
      }
    })();
    const attempts = await streamCreates({
      baseUrl: () => services[sent++ % 2]!.baseUrl,
      token: key.token,
      tally,
      loops: LOOPS,
      prefix: 'pair',
      stop: () => performance.now() - startedAt >= LOAD_MS,
    });
    const total = await expectStreamIsTheLog();
    sampling = false;
    await sampler;
    tally.note(`${attempts.length} creates to both (${JSON.stringify(statusHistogram(attempts))}); ${total} events; ${samples.length} samples of both relays`);

    expect(attempts.filter((attempt) => attempt.status !== 201).map((attempt) => `${attempt.id}: ${attempt.status ?? attempt.error}`)).toEqual([]);
    expect(total).toBe(attempts.length);
    // Both instances answered every sample, and exactly one of them was publishing in each.
    const bad = samples.filter((states) => states.filter((state) => state === 'publishing').length !== 1 || states.some((state) => state !== 'publishing' && state !== 'standby'));
    expect(samples.length).toBeGreaterThan(20);
    expect(bad.map((states) => states.join(' / '))).toEqual([]);
  }, 60_000);

  it('the publishing instance is killed under load: the other takes over, and nothing is lost or published twice', async () => {
    const states = await Promise.all(services.map((service) => relayState(tally, service)));
    const leader = services[states.indexOf('publishing')];
    const survivor = services[states.indexOf('standby')];
    expect(states.sort()).toEqual(['publishing', 'standby']);

    let killedAt = Infinity;
    let stopAt = Infinity;
    let takenOverAt = Infinity;
    const kill = (async () => {
      try {
        await sleep(BEFORE_KILL_MS);
        leader!.signal('SIGKILL');
        await leader!.exited;
        killedAt = performance.now();
        while (performance.now() - killedAt < TAKEOVER_BOUND_MS * 2 && (await relayState(tally, survivor!)) !== 'publishing') await sleep(100);
        takenOverAt = performance.now();
      } finally {
        stopAt = performance.now() + AFTER_KILL_MS;
      }
    })();
    // Sent to the survivor only: the test is about events, not about requests cut by the kill.
    const attempts: CreateAttempt[] = await streamCreates({
      baseUrl: () => survivor!.baseUrl,
      token: key.token,
      tally,
      loops: LOOPS,
      prefix: 'takeover',
      stop: () => performance.now() >= stopAt,
    });
    await kill;
    const total = await expectStreamIsTheLog();
    tally.note(`${attempts.length} creates to the survivor (${JSON.stringify(statusHistogram(attempts))}); leader killed, taken over after ${Math.round(takenOverAt - killedAt)} ms; ${total} events in all`);

    expect(attempts.filter((attempt) => attempt.status !== 201).map((attempt) => `${attempt.id}: ${attempt.status ?? attempt.error}`)).toEqual([]);
    expect(takenOverAt - killedAt).toBeLessThan(TAKEOVER_BOUND_MS);
    expect(await relayState(tally, survivor!)).toBe('publishing');
  }, 60_000);
});
