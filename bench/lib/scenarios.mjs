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
import { agentBody } from './agent-body.mjs';

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
];
