// The data the GET scenarios read, inserted with SQL straight into the service's database: 100,000
// agents, each with its first version as the service records it, in 1,000 projects of 200
// workspaces plus the benchmark key's own project, which gets 1,000 of them. The agents of the key's
// project that earlier scenarios (POST) made are deleted, so that it always holds these 1,000 and
// the GET figures do not depend on how fast POST was.
//
// Agents are interleaved across projects and created in order over the past year, so a project's
// rows lie scattered over the table as they would after a year of use; about 2% are soft-deleted,
// 5% inactive, and every project has one default agent. Ids are random like the service's own.
// Ends with VACUUM ANALYZE: the planner's statistics and the visibility map of a table at rest.
export const SEED = {
  agents: 100_000,
  keyProjectAgents: 1_000, // every (agents / keyProjectAgents)-th agent
  workspaces: 200,
  projectsPerWorkspace: 5,
};

/** SQL for an id as the service makes them: prefix, "_", `bytes` random bytes in base64url. */
const randomId = (prefix, bytes) =>
  `'${prefix}_' || translate(encode(substr(uuid_send(gen_random_uuid()), 1, ${bytes}), 'base64'), '+/=', '-_')`;

const WORKSPACES = `
  CREATE TEMP TABLE seed_workspaces ON COMMIT DROP AS
    SELECT w, ${randomId('ws', 12)} AS id FROM generate_series(1, $1::int) w`;
const INSERT_WORKSPACES = `
  INSERT INTO workspaces (id, name, tier, created_at)
    SELECT id, 'Workspace ' || w, (ARRAY['free', 'pro', 'team', 'enterprise'])[1 + w % 4], now() - interval '400 days'
      FROM seed_workspaces`;

// $1 projects per workspace, numbered n = 1…; one user owns a project's agents.
const PROJECTS = `
  CREATE TEMP TABLE seed_projects ON COMMIT DROP AS
    SELECT (w.w - 1) * $1::int + k AS n, ${randomId('prj', 12)} AS id, w.id AS workspace_id, ${randomId('usr', 12)} AS user_id
      FROM seed_workspaces w, generate_series(1, $1::int) k`;
const INSERT_PROJECTS = `
  INSERT INTO projects (id, workspace_id, name, created_at)
    SELECT id, workspace_id, 'Project ' || n, now() - interval '400 days' FROM seed_projects`;

// $1 agents numbered i, every $2-th in the key's project $3 (owned by $4), the others taking turns
// over the $5 projects (i - i / $2 numbers them among themselves); created in order of i over the
// past year. v picks each agent's attributes below (by i, the key's agents would all look alike).
const AGENT_ROWS = `
  CREATE TEMP TABLE seed_agents ON COMMIT DROP AS
    SELECT *, NOT deleted AND row_number() OVER (PARTITION BY project_id, deleted ORDER BY i) = 1 AS first_live
      FROM (SELECT i, ${randomId('agt', 16)} AS id,
                   CASE WHEN i % $2::int = 0 THEN $3 ELSE p.id END AS project_id,
                   CASE WHEN i % $2::int = 0 THEN $4 ELSE p.user_id END AS user_id,
                   now() - interval '365 days' * (1 - i::float8 / $1::int) AS created_at,
                   random() < 0.02 AS deleted,
                   floor(random() * 1000000)::int AS v
              FROM generate_series(1, $1::int) i
              JOIN seed_projects p ON p.n = 1 + (i - i / $2::int) % $5::int) AS g`;

// Values like the service's own: a managed model with an effort it supports, skills, metadata…,
// and version 1 with the configuration the service records (agent-version.ts, configurationOf).
const AGENTS_AND_VERSIONS = `
  WITH inserted AS (
    INSERT INTO agents (project_id, id, user_id, name, description, model, instructions, execution_binary,
                        reasoning_effort, enabled_skills, deep_research_model, is_default, is_system, is_active,
                        metadata, config, version, revision, created_at, updated_at, last_run_at, deleted_at)
    SELECT project_id, id, user_id,
           (ARRAY['Support triage', 'Research assistant', 'Code reviewer', 'Sales outreach', 'Data analyst',
                  'Release notes'])[1 + v % 6] || ' ' || i,
           CASE WHEN v % 4 <> 0
                THEN 'Handles the ' || (ARRAY['billing', 'onboarding', 'security', 'analytics', 'docs'])[1 + v % 5] || ' work of the team' END,
           (ARRAY['claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5',
                  'claude-haiku-4-5', 'claude-opus-4-6', 'claude-opus-4-6', 'gemini-3-flash', 'gemini-3-1-pro'])[1 + v % 10],
           repeat('You are a careful assistant. Answer briefly, cite your sources and ask when unsure. ', 1 + v % 8),
           CASE WHEN v % 5 = 0 THEN '{"path": "/usr/local/bin/claude", "args": ["--verbose"]}'::jsonb END,
           (ARRAY['low', 'medium', 'high'])[1 + v % 3],
           CASE v % 7 WHEN 3 THEN '{deep_research}' WHEN 4 THEN '{web_search}' WHEN 5 THEN '{web_search,code_execution}'
                      WHEN 6 THEN '{deep_research,web_search}' ELSE '{}' END::text[],
           CASE WHEN v % 7 = 3 THEN 'gemini-3-pro-preview' END,
           first_live, false, v % 20 <> 0,
           jsonb_build_object('team', (ARRAY['support', 'research', 'platform', 'sales', 'finance'])[1 + v % 5],
                              'env', CASE WHEN v % 3 = 0 THEN 'staging' ELSE 'production' END),
           CASE WHEN v % 2 = 0 THEN jsonb_build_object('temperature', (v % 10) / 10.0, 'maxTokens', 4096) ELSE '{}' END,
           '1.0.0', CASE WHEN deleted THEN 2 ELSE 1 END, created_at,
           CASE WHEN deleted THEN least(now(), created_at + interval '7 days') ELSE created_at END,
           CASE WHEN v % 3 <> 0 THEN least(now(), created_at + (v % 30) * interval '1 day') END,
           CASE WHEN deleted THEN least(now(), created_at + interval '7 days') END
      FROM seed_agents
    RETURNING *)
  INSERT INTO agent_versions (project_id, agent_id, number, version, configuration, created_at)
    SELECT project_id, id, 1, version,
           jsonb_build_object('name', name, 'description', description, 'model', model, 'instructions', instructions,
                              'binary', execution_binary, 'reasoningEffort', reasoning_effort,
                              'enabledSkills', to_jsonb(enabled_skills), 'deepResearchModel', deep_research_model, 'config', config),
           created_at
      FROM inserted`;

// The key's project's agents that are not seeded ones (their versions go with them). Run after the
// insert, seconds after the scenario before stopped: its requests still in flight then have landed.
const DELETE_OTHERS = `
  DELETE FROM agents a
   WHERE project_id = $1 AND NOT EXISTS (SELECT 1 FROM seed_agents s WHERE s.project_id = a.project_id AND s.id = a.id)`;

/**
 * Seeds once per database; resolves { ids, deleted, seconds }: the ids of the key's project's live
 * agents (about 980), how many agents of earlier scenarios were deleted from it, how long it took.
 */
export function seedAgents(ctx) {
  const { projectId, userId } = ctx.key;
  const started = Date.now();
  return ctx.withDb(async (db) => {
    await db.query('BEGIN');
    await db.query(WORKSPACES, [SEED.workspaces]);
    await db.query(INSERT_WORKSPACES);
    await db.query(PROJECTS, [SEED.projectsPerWorkspace]);
    await db.query(INSERT_PROJECTS);
    const every = SEED.agents / SEED.keyProjectAgents;
    await db.query(AGENT_ROWS, [SEED.agents, every, projectId, userId, SEED.workspaces * SEED.projectsPerWorkspace]);
    await db.query(AGENTS_AND_VERSIONS);
    const { rowCount: deleted } = await db.query(DELETE_OTHERS, [projectId]);
    await db.query('COMMIT');
    await db.query('VACUUM ANALYZE workspaces, projects, agents, agent_versions');
    const { rows } = await db.query('SELECT id FROM agents WHERE project_id = $1 AND deleted_at IS NULL', [projectId]);
    return { ids: rows.map((row) => row.id), deleted, seconds: (Date.now() - started) / 1000 };
  });
}
