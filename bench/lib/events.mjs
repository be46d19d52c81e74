// What the two event scenarios need: the key's project's feed (GET /v1/events), events made for
// it, and the SSE clients of GET /v1/events/stream that count what they receive and how late.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { agentBody } from './agent-body.mjs';
import { sleep } from './util.mjs';

/** Every position of the key's project's feed, oldest first (pages of 1,000), and its end. */
export async function feedPositions(ctx) {
  const positions = [];
  let after;
  for (;;) {
    const query = new URLSearchParams({ limit: '1000', ...(after ? { after } : {}) });
    const { status, body } = await ctx.call('GET', `/v1/events?${query}`);
    if (status !== 200 || body?.object !== 'list' || !Array.isArray(body.data)) {
      ctx.fail(`GET /v1/events answered ${status}, not 200 with a list`, JSON.stringify(body)?.slice(0, 2000));
    }
    for (const event of body.data) positions.push(event.position);
    after = body.next_cursor ?? after;
    if (!body.has_more) return { positions, end: after ?? '0'.padStart(18, '0') };
  }
}

/** At least `count` events in the key's project: POSTs (16 at a time) for the missing ones. */
export async function ensureEvents(ctx, count) {
  let { positions } = await feedPositions(ctx);
  const missing = count - positions.length;
  if (missing > 0) {
    ctx.log(`creating ${missing} agents for their events (the project has ${positions.length})`);
    let next = 0;
    const worker = async () => {
      while (next < missing) {
        const n = next++;
        const { status, body } = await ctx.call('POST', '/v1/agents', agentBody(`events ${n}`));
        if (status !== 201) ctx.fail(`POST /v1/agents answered ${status}, not 201`, JSON.stringify(body)?.slice(0, 2000));
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    // The sequencer gives positions just after commit: wait for all of them to be served.
    for (let tries = 0; tries < 100; tries++) {
      ({ positions } = await feedPositions(ctx));
      if (positions.length >= count) break;
      await sleep(100);
    }
    if (positions.length < count) ctx.fail(`the feed shows ${positions.length} events, not the ${count} made`);
  }
  return positions;
}

/**
 * The time of each 201 answer of POST /v1/agents, by the new agent's id, while active (autocannon's
 * onResponse, in this process: the same clock as the SSE clients'). Counts the 201s it saw too.
 */
export class AnswerRecorder {
  constructor() {
    this.active = false;
    this.answeredAt = new Map();
  }
  start() {
    this.answeredAt.clear();
    this.active = true;
  }
  stop() {
    this.active = false;
  }
  /** autocannon's requests[].onResponse */
  onResponse = (status, body) => {
    if (!this.active || status !== 201) return;
    const match = /"id":"([^"]+)"/.exec(body);
    if (match) this.answeredAt.set(match[1], performance.now());
  };
}

/** One SSE client: counts events, checks positions increase, measures the delay from each answer. */
class StreamClient {
  constructor(url, headers, answers) {
    this.url = url;
    this.headers = headers;
    this.answers = answers;
    this.received = 0; // event messages
    this.matched = 0; // of which the events of an answered POST
    this.outOfOrder = 0; // positions not above the previous one (a repeat or a reorder)
    this.lastPosition = '';
    this.lastAt = 0;
    this.delays = []; // ms from the POST's 201 to this client's receipt
    this.pending = []; // [subject, receivedAt] received before its POST's answer was recorded
    this.buffer = '';
    this.ended = false; // the service ended the stream (or the connection failed)
  }

  open() {
    return new Promise((resolve, reject) => {
      this.request = http.get(this.url, { agent: false, headers: { ...this.headers, accept: 'text/event-stream' } }, (response) => {
        if (response.statusCode !== 200) {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => reject(new Error(`GET ${this.url.pathname} answered ${response.statusCode}: ${text.slice(0, 500)}`)));
          return;
        }
        this.response = response;
        response.setEncoding('utf8');
        response.on('data', (chunk) => this.onData(chunk));
        response.on('end', () => (this.ended = true));
        response.on('error', () => (this.ended = true));
        resolve();
      });
      this.request.on('error', (error) => {
        this.ended = true;
        reject(error);
      });
    });
  }

  onData(chunk) {
    const now = performance.now();
    this.buffer += chunk;
    let start = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n\n', start);
      if (end === -1) break;
      this.onMessage(this.buffer.slice(start, end), now);
      start = end + 2;
    }
    this.buffer = this.buffer.slice(start);
  }

  onMessage(block, now) {
    if (block.startsWith(':')) return; // the keep-alive comment
    const id = /^id: ?(.*)$/m.exec(block)?.[1];
    const subject = /"subject":"([^"]*)"/.exec(block)?.[1];
    if (id === undefined || subject === undefined) return;
    this.received += 1;
    if (id <= this.lastPosition) this.outOfOrder += 1;
    this.lastPosition = id;
    this.lastAt = now;
    this.account(subject, now);
  }

  account(subject, receivedAt) {
    const answeredAt = this.answers.answeredAt.get(subject);
    if (answeredAt === undefined) {
      if (this.settled) return; // an event of no answered POST (the warm-up's, or one cut off at the end)
      this.pending.push([subject, receivedAt]);
      return;
    }
    this.matched += 1;
    this.delays.push(receivedAt - answeredAt);
  }

  /** Once every answer is known: the events received before theirs, matched now (or not at all). */
  settle() {
    this.settled = true;
    const pending = this.pending;
    this.pending = [];
    for (const [subject, receivedAt] of pending) this.account(subject, receivedAt);
  }

  close() {
    this.request?.destroy();
  }
}

/**
 * `clients` streams on GET /v1/events/stream?after=<after>, open (200 and headers) when this
 * resolves. finish(posted) waits (up to catchUpMs) until each has the events of all `posted`
 * answered POSTs, closes them and returns the figures.
 */
export async function openStreams({ baseUrl, headers, after, clients, answers }) {
  const url = new URL(`/v1/events/stream?after=${after}`, baseUrl);
  const all = Array.from({ length: clients }, () => new StreamClient(url, headers, answers));
  try {
    await Promise.all(all.map((client) => client.open()));
  } catch (error) {
    for (const client of all) client.close();
    throw error;
  }
  const openedAt = performance.now();
  return {
    async finish({ loadEndedAt, catchUpMs = 30_000 }) {
      for (const client of all) client.settle();
      const posted = answers.answeredAt.size;
      const deadline = performance.now() + catchUpMs;
      while (all.some((client) => client.matched < posted && !client.ended) && performance.now() < deadline) await sleep(20);
      const caughtUpAt = Math.max(loadEndedAt, ...all.map((client) => client.lastAt));
      for (const client of all) client.close();
      return summarize(all, { posted, openedAt, loadEndedAt, caughtUpAt });
    },
    close: () => all.forEach((client) => client.close()),
  };
}

function summarize(clients, { posted, openedAt, loadEndedAt, caughtUpAt }) {
  const matched = clients.map((client) => client.matched);
  const delivered = clients.reduce((sum, client) => sum + client.received, 0);
  const delays = Float64Array.from(clients.flatMap((client) => client.delays)).sort();
  const seconds = (caughtUpAt - openedAt) / 1000;
  return {
    clients: clients.length,
    posted,
    delivered,
    eventsPerSecond: seconds > 0 ? delivered / seconds : 0,
    minPerClient: Math.min(...matched),
    maxPerClient: Math.max(...matched),
    allMatch: matched.every((count) => count === posted),
    others: clients.reduce((sum, client) => sum + client.received - client.matched, 0),
    outOfOrder: clients.reduce((sum, client) => sum + client.outOfOrder, 0),
    dropped: clients.filter((client) => client.ended && client.matched < posted).length,
    catchUpMs: Math.max(0, caughtUpAt - loadEndedAt),
    earlyEvents: delays.filter((delay) => delay < 0).length, // received before autocannon parsed its answer
    delayP50: percentile(delays, 0.5),
    delayP99: percentile(delays, 0.99),
  };
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return Math.max(0, sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}
