// The benchmark's scenarios, run in this order, each warmed up and then measured on the same
// service and database (so data one scenario writes is there for the next).
//
// A scenario is { name, setup?, request }:
//   name                  what the report calls it, e.g. 'GET /v1/agents/{id}'
//   setup(ctx)            optional, async, once before its warm-up: check the endpoint, seed data;
//                         throw (ctx.fail) to stop the run. Its result is passed to request().
//   request(ctx, state)   the autocannon request: { path, method?, headers?, body?,
//                         idReplacement?, requests? } — `requests: [{ setupRequest(req) {…} }]`
//                         varies each request (a random id per request, say); the host is always
//                         the benchmark's service on 127.0.0.1. `expectedStatus` (say 304): the
//                         answer that counts as the scenario's success instead of any 2xx.
//   watch(ctx, state)     optional, async, after the warm-up, just before the measured run: starts
//                         what observes it (the SSE clients) and returns { finish(measured) }, which
//                         the runner awaits after the run: { stream, problems } — `stream` the
//                         figures the report prints for it, `problems` (strings) fail the run.
//
// ctx (see run.mjs, makeContext):
//   ctx.baseUrl           http://127.0.0.1:<port>
//   ctx.key               the minted key: { token, workspaceId, projectId, userId, scopes, … }
//   ctx.headers           { authorization }; ctx.jsonHeaders adds content-type: application/json
//   ctx.call(method, path, body?)  one request with the key → { status, body (JSON or text) }
//   ctx.withDb(fn)        fn(pg.Client) on the service's database, e.g. to seed 100,000 agents
//                         with one INSERT … SELECT FROM generate_series(…)
//   ctx.once(key, fn)     fn() once per run, its promise shared: one seeding for several scenarios
//   ctx.fail(message, details?)  throws an error the runner reports without a stack trace
//   ctx.log(message)      progress on stderr
//   ctx.note(text)        a line for the printed report, e.g. what data the figures were measured on
import { performance } from 'node:perf_hooks';
import { agentBody } from './agent-body.mjs';
import { AnswerRecorder, ensureEvents, feedPositions, openStreams } from './events.mjs';
import { scaleScenarios } from './scale.mjs';
import { SEED, seedAgents } from './seed-agents.mjs';
import { intFromEnv } from './util.mjs';

const PAGE = 20;
const FEED_PAGE = 100;
/** The feed scenario reads pages at random places among at least this many events. */
const FEED_EVENTS = 5_000;
/** The pinned-read scenarios read these many seeded agents, each labelled production. */
const PINNED_AGENTS = 200;

export const scenarios = [
  {
    name: 'POST /v1/agents',
    async setup(ctx) {
      const { status, body } = await ctx.call('POST', '/v1/agents', agentBody('setup check'));
      if (status !== 201 || typeof body?.agent?.id !== 'string') {
        ctx.fail(`POST /v1/agents answered ${status}, not 201 with an agent`, JSON.stringify(body).slice(0, 2000));
      }
    },
    request: (ctx) => ({
      method: 'POST',
      path: '/v1/agents',
      headers: ctx.jsonHeaders,
      body: JSON.stringify(agentBody('[<id>]')),
      idReplacement: true, // a fresh id for [<id>] in every request: a unique name each time
    }),
  },
  {
    name: 'GET /v1/agents/{id}',
    async setup(ctx) {
      const ids = await seededIds(ctx);
      const { status, headers, body } = await ctx.call('GET', `/v1/agents/${ids[0]}`);
      if (status !== 200 || body?.agent?.id !== ids[0] || !headers.get('etag')) {
        ctx.fail(`GET /v1/agents/${ids[0]} answered ${status}, not 200 with the agent and an ETag`, JSON.stringify(body)?.slice(0, 2000));
      }
      return ids;
    },
    request: (ctx, ids) => ({
      headers: ctx.headers,
      // A random agent of the key's project per request.
      requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/agents/${ids[Math.floor(Math.random() * ids.length)]}` }) }],
    }),
  },
  pinnedRead('1.0.0', 200),
  pinnedRead('1.0.0', 304),
  pinnedRead('production', 200),
  pinnedRead('production', 304),
  listScenario(`/v1/agents?limit=${PAGE}`, (total, ids) => total === ids.length),
  // A filter the (project_id, created_at, id) index does not cover: about 40% of the agents match.
  listScenario(`/v1/agents?limit=${PAGE}&model=claude-sonnet-4-5`, (total, ids) => total > PAGE && total < ids.length),
  {
    // Pages of the key's project's feed, each after a random position (a reader catching up).
    name: `GET /v1/events?limit=${FEED_PAGE}`,
    async setup(ctx) {
      const positions = await ensureEvents(ctx, FEED_EVENTS);
      const starts = positions.slice(0, positions.length - FEED_PAGE); // every page a full one
      const { status, body } = await ctx.call('GET', `/v1/events?limit=${FEED_PAGE}&after=${starts[0]}`);
      if (status !== 200 || body?.data?.length !== FEED_PAGE || !body.has_more || body.data[0]?.position !== positions[1]) {
        ctx.fail(`GET /v1/events?limit=${FEED_PAGE} answered ${status}, not 200 with a full page after the cursor`, JSON.stringify(body)?.slice(0, 2000));
      }
      ctx.note(`GET /v1/events: full pages of ${FEED_PAGE}, each after a random position of the key's project's ${positions.length.toLocaleString('en-US')} events`);
      return starts;
    },
    request: (ctx, starts) => ({
      headers: ctx.headers,
      requests: [
        { setupRequest: (req) => ({ ...req, path: `/v1/events?limit=${FEED_PAGE}&after=${starts[Math.floor(Math.random() * starts.length)]}` }) },
      ],
    }),
  },
  streamScenario(),
  ...scaleScenarios(),
];

/**
 * `clients` SSE clients on GET /v1/events/stream while autocannon creates agents (POST
 * /v1/agents, as the first scenario): every client must get the event of every POST answered 201,
 * each once and in position order; the delay is from autocannon's reading of the 201 answer to a
 * client's reading of the event, both in this process.
 */
function streamScenario() {
  const answers = new AnswerRecorder();
  // Checked in setup (a bad value stops the run there, reported as such); the name shows it.
  const clients = /^\d+$/.test(process.env.BENCH_STREAM_CLIENTS ?? '') ? Number(process.env.BENCH_STREAM_CLIENTS) : 100;
  return {
    name: `GET /v1/events/stream ×${clients} while creating agents`,
    async setup(ctx) {
      intFromEnv('BENCH_STREAM_CLIENTS', 100);
      const probe = await fetch(new URL('/v1/events/stream', ctx.baseUrl), { headers: ctx.headers, signal: AbortSignal.timeout(10_000) });
      const type = probe.headers.get('content-type') ?? '';
      await probe.body?.cancel();
      if (probe.status !== 200 || !type.startsWith('text/event-stream')) {
        ctx.fail(`GET /v1/events/stream answered ${probe.status} ${type}, not 200 text/event-stream`);
      }
      ctx.note(
        `GET /v1/events/stream: ${clients} SSE clients (in the benchmark's process) open during the measured POSTs; req/s and p50/p99 ` +
          `are the POSTs'; events/s is what the ${clients} clients received in all, per client the events of answered POSTs it got ` +
          `versus the 201 answers; delay: from the 201 answer to each client's receipt`,
      );
    },
    request: (ctx) => ({
      method: 'POST',
      path: '/v1/agents',
      headers: ctx.jsonHeaders,
      body: JSON.stringify(agentBody('[<id>]')),
      idReplacement: true,
      requests: [{ onResponse: answers.onResponse }],
    }),
    async watch(ctx) {
      // After what the warm-up made, so that only the measured POSTs' events count.
      const { end } = await feedPositions(ctx);
      const streams = await openStreams({ baseUrl: ctx.baseUrl, headers: ctx.headers, after: end, clients, answers });
      answers.start();
      return {
        async finish(measured) {
          answers.stop();
          const stream = await streams.finish({ loadEndedAt: performance.now() });
          const problems = [];
          if (!stream.allMatch) {
            problems.push(
              `each client should have had the ${stream.posted} events of the answered POSTs: they had ${stream.minPerClient}–${stream.maxPerClient}` +
                (stream.dropped > 0 ? ` (${stream.dropped} streams ended early)` : ''),
            );
          }
          if (stream.outOfOrder > 0) problems.push(`${stream.outOfOrder} events came again or out of position order`);
          const answered = measured.statuses['201'] ?? 0;
          if (answered !== stream.posted) problems.push(`autocannon counted ${answered} answers 201, the recorder ${stream.posted}`);
          return { stream, problems };
        },
        close: () => streams.close(),
      };
    },
  };
}

/**
 * The runners' hot path: a version pinned by number or by label, on random seeded agents; with
 * `status` 304, each request names the ETag it got before (If-None-Match), as a runner's cache does.
 */
function pinnedRead(versionOrLabel, status) {
  return {
    name: `GET /v1/agents/{id}/versions/${versionOrLabel}${status === 304 ? ' (If-None-Match: 304)' : ''}`,
    async setup(ctx) {
      const agents = await ctx.once('pinned agents', async () => {
        const ids = (await seededIds(ctx)).slice(0, PINNED_AGENTS);
        const pinned = [];
        for (const id of ids) {
          const label = await ctx.call('PUT', `/v1/agents/${id}/labels/production`, { version: '1.0.0' });
          if (label.status !== 200) ctx.fail(`PUT /v1/agents/${id}/labels/production answered ${label.status}`, JSON.stringify(label.body).slice(0, 2000));
          const read = await ctx.call('GET', `/v1/agents/${id}/versions/1.0.0`);
          const etag = read.headers.get('etag');
          if (read.status !== 200 || !etag || !/immutable/.test(read.headers.get('cache-control') ?? '')) {
            ctx.fail(`GET /v1/agents/${id}/versions/1.0.0 answered ${read.status}, not 200 with an ETag and immutable caching`, JSON.stringify(read.body).slice(0, 2000));
          }
          pinned.push({ id, etag });
        }
        return pinned;
      });
      return agents;
    },
    request: (ctx, agents) => ({
      headers: ctx.headers,
      expectedStatus: status,
      requests: [{
        setupRequest: (req) => {
          const { id, etag } = agents[Math.floor(Math.random() * agents.length)];
          const headers = status === 304 ? { ...req.headers, 'if-none-match': etag } : req.headers;
          return { ...req, headers, path: `/v1/agents/${id}/versions/${versionOrLabel}` };
        },
      }],
    }),
  };
}

/** The first page of GET `path` on the seeded table, checked once: PAGE agents, and totalOk(total_count, the key's ids). */
function listScenario(path, totalOk) {
  return {
    name: `GET ${path}`,
    async setup(ctx) {
      const ids = await seededIds(ctx);
      const { status, body } = await ctx.call('GET', path);
      if (status !== 200 || body?.object !== 'list' || body.data?.length !== PAGE || !body.has_more || !totalOk(body.total_count, ids)) {
        ctx.fail(`GET ${path} answered ${status}, not 200 with a full page of the seeded agents`, JSON.stringify(body).slice(0, 2000));
      }
    },
    request: (ctx) => ({ path, headers: ctx.headers }),
  };
}

/** The seeded table (lib/seed-agents.mjs), once for all the GET scenarios: the ids of the key's project. */
function seededIds(ctx) {
  return ctx.once('seed agents', async () => {
    ctx.log(`seeding ${SEED.agents.toLocaleString('en-US')} agents and their versions`);
    const { ids, deleted, seconds } = await seedAgents(ctx);
    ctx.log(`seeded in ${seconds.toFixed(1)} s`);
    const count = (n) => n.toLocaleString('en-US');
    const removed = deleted > 0 ? `, after deleting the ${count(deleted)} agents the scenarios above made there` : '';
    ctx.note(
      `order: as listed, so POST /v1/agents runs on the empty table; the GET scenarios on ${count(SEED.agents)} agents ` +
        `(each with its first version) seeded with SQL in ${seconds.toFixed(1)} s after the scenarios above them, over ` +
        `${count(SEED.workspaces * SEED.projectsPerWorkspace)} projects and the key's, which holds ${count(ids.length)} live ones${removed}`,
    );
    return ids;
  });
}
