// "Flat as projects grow": the list, a name search (q), a metadata filter and GET by id, each on a
// project of 1,000, 100,000 and 1,000,000 agents (BENCH_SCALE_SIZES), and how each figure changes
// from the smallest to the largest. Each project is seeded with SQL in one statement, with its own
// enterprise key; the search and the filter match the same 50 agents at every size (what an index
// must find is the same, only the project around it grows).
import { createHash, randomBytes } from 'node:crypto';

const NEEDLES = 50;
const READ_IDS = 200;
const PAGE = 20;

export const SCALE_KINDS = [
  { kind: 'list', path: () => `/v1/agents?limit=${PAGE}` },
  { kind: 'q search', path: () => `/v1/agents?limit=${PAGE}&q=needle` },
  { kind: 'metadata filter', path: () => `/v1/agents?limit=${PAGE}&metadata[team]=needle` },
  { kind: 'GET by id', path: (ids) => `/v1/agents/${ids[Math.floor(Math.random() * ids.length)]}` },
];

export function scaleSizes() {
  const sizes = (process.env.BENCH_SCALE_SIZES ?? '1000,100000,1000000').split(',').map((size) => Number(size.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < NEEDLES)) throw new Error(`BENCH_SCALE_SIZES: whole numbers of at least ${NEEDLES}`);
  return sizes;
}

const scenarioName = (size, kind) => `scale ${size.toLocaleString('en-US')} agents: ${kind}`;

/** The scenarios, smallest project first. */
export function scaleScenarios() {
  return scaleSizes().flatMap((size) =>
    SCALE_KINDS.map(({ kind, path }) => ({
      name: scenarioName(size, kind),
      async setup(ctx) {
        const project = await ctx.once(`scale ${size}`, () => seedProject(ctx, size));
        const check = await fetch(new URL(path(project.ids), ctx.baseUrl), { headers: { authorization: `Bearer ${project.token}` } });
        const body = await check.json();
        const expected = kind === 'GET by id' ? undefined : kind === 'list' ? size : NEEDLES;
        if (check.status !== 200 || (expected !== undefined && body.total_count !== expected)) {
          ctx.fail(`${scenarioName(size, kind)}: answered ${check.status} with total_count ${body.total_count}, not 200 with ${expected}`);
        }
        return project;
      },
      request: (_ctx, project) => ({
        headers: { authorization: `Bearer ${project.token}` },
        requests: [{ setupRequest: (req) => ({ ...req, path: path(project.ids) }) }],
      }),
    })),
  );
}

/** A workspace, a project of `size` agents (NEEDLES of them named and tagged "needle") and a key for it. */
async function seedProject(ctx, size) {
  const started = performance.now();
  ctx.log(`scale: seeding a project of ${size.toLocaleString('en-US')} agents`);
  const token = `agk_${randomBytes(32).toString('base64url')}`;
  const suffix = randomBytes(6).toString('hex');
  const [workspace, project, key] = [`ws_scale_${suffix}`, `prj_scale_${suffix}`, `key_scale_${suffix}`];
  const every = Math.floor(size / NEEDLES);
  const ids = await ctx.withDb(async (client) => {
    await client.query(`INSERT INTO workspaces (id, name, tier) VALUES ($1, 'Scale', 'enterprise')`, [workspace]);
    await client.query(`INSERT INTO projects (id, workspace_id, name) VALUES ($1, $2, 'Scale')`, [project, workspace]);
    await client.query(
      `INSERT INTO api_keys (id, key_hash, workspace_id, project_id, user_id, scopes) VALUES ($1, $2, $3, $4, 'usr_scale', '{agents:read}')`,
      [key, createHash('sha256').update(token).digest(), workspace, project],
    );
    await client.query(
      `INSERT INTO agents (project_id, id, user_id, name, model, reasoning_effort, metadata, version, created_at, updated_at)
       SELECT $1, 'agt_' || $2 || '_' || n, 'usr_scale',
              CASE WHEN n % $3 = 0 AND n / $3 <= $4 THEN 'Needle finder ' || n ELSE 'Support bot ' || n END,
              'claude-sonnet-4-5', 'medium',
              jsonb_build_object('team', CASE WHEN n % $3 = 0 AND n / $3 <= $4 THEN 'needle' ELSE 'team-' || (n % 100) END),
              '1.0.0', now() - n * interval '1 second', now()
         FROM generate_series(1, $5::int) AS n`,
      [project, suffix, every, NEEDLES, size],
    );
    await client.query('VACUUM ANALYZE agents');
    const { rows } = await client.query('SELECT id FROM agents WHERE project_id = $1 ORDER BY random() LIMIT $2', [project, READ_IDS]);
    return rows.map((row) => row.id);
  });
  ctx.log(`scale: seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { token, ids };
}

/** Per kind: req/s at each size and largest ÷ smallest; "FALLS" where that is under one half. */
export function scaleSummary(results) {
  const sizes = scaleSizes();
  const lines = [];
  for (const { kind } of SCALE_KINDS) {
    const figures = sizes.map((size) => results.find((result) => result.name === scenarioName(size, kind))?.measured.rps);
    if (figures.some((figure) => figure === undefined)) continue;
    const ratio = figures.at(-1) / figures[0];
    const cells = sizes.map((size, i) => `${size.toLocaleString('en-US')}: ${figures[i].toFixed(0)} req/s`).join(', ');
    lines.push(`scale, ${kind}: ${cells}; largest ÷ smallest ${ratio.toFixed(2)}${ratio < 0.5 ? ' FALLS by more than half' : ''}`);
  }
  return lines;
}
