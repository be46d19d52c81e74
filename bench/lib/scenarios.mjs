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
//                         the benchmark's service on 127.0.0.1.
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
import { agentBody } from './agent-body.mjs';
import { SEED, seedAgents } from './seed-agents.mjs';

const PAGE = 20;

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
  listScenario(`/v1/agents?limit=${PAGE}`, (total, ids) => total === ids.length),
  // A filter the (project_id, created_at, id) index does not cover: about 40% of the agents match.
  listScenario(`/v1/agents?limit=${PAGE}&model=claude-sonnet-4-5`, (total, ids) => total > PAGE && total < ids.length),
];

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
