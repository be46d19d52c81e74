import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

// The built CLI (npx nest build), run as the operator runs it, against a database of its own.
const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = `cli_e2e_${randomBytes(6).toString('hex')}`;
const DATABASE_URL = `${SERVER}/${DATABASE}`;
const TIMEOUT_MS = 60_000;

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, DATABASE_URL }, timeout: TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a command with --json; it must succeed and print exactly one JSON line on stdout. */
async function cliJson(...args: string[]): Promise<Record<string, unknown>> {
  const run = await cli(...args, '--json');
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(run.stdout.endsWith('\n')).toBe(true);
  expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

async function adminQuery<T extends pg.QueryResultRow>(database: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: `${SERVER}/${database}` });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const query = <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => adminQuery<T>(DATABASE, sql, values);

describe('the CLI', () => {
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx nest build first`);
    await adminQuery('postgres', `CREATE DATABASE ${DATABASE}`);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await adminQuery('postgres', `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }, TIMEOUT_MS);

  let workspace: { id: string; projectId: string };

  it('creates a workspace with its default project, on a fresh database', async () => {
    const created = await cliJson('workspaces', 'create', '--name', 'Acme', '--tier', 'pro');

    expect(created).toEqual({
      id: expect.stringMatching(/^ws_[A-Za-z0-9_-]{16}$/),
      name: 'Acme',
      tier: 'pro',
      projectId: expect.stringMatching(/^prj_[A-Za-z0-9_-]{16}$/),
    });
    workspace = { id: created.id as string, projectId: created.projectId as string };
    expect(await query('SELECT name, tier FROM workspaces WHERE id = $1', [workspace.id])).toEqual([{ name: 'Acme', tier: 'pro' }]);
    expect(await query('SELECT id, workspace_id FROM projects WHERE workspace_id = $1', [workspace.id])).toEqual([
      { id: workspace.projectId, workspace_id: workspace.id },
    ]);
  }, TIMEOUT_MS);

  it("sets the workspace's default model only to a managed model its tier reaches", async () => {
    expect(await cliJson('workspaces', 'set-default-model', '--workspace', workspace.id, '--model', 'claude-opus-4-6')).toEqual({
      workspaceId: workspace.id,
      defaultModel: 'claude-opus-4-6',
    });
    expect(await query('SELECT default_model FROM workspaces WHERE id = $1', [workspace.id])).toEqual([{ default_model: 'claude-opus-4-6' }]);

    const free = await cliJson('workspaces', 'create', '--name', 'Free', '--tier', 'free');
    const locked = await cli('workspaces', 'set-default-model', '--workspace', free.id as string, '--model', 'claude-opus-4-6');
    expect([locked.code, locked.stderr]).toEqual([1, expect.stringContaining('does not reach claude-opus-4-6')]);
    const unknown = await cli('workspaces', 'set-default-model', '--workspace', free.id as string, '--model', 'external:openai:gpt-5');
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('Unknown managed model')]);
    const missing = await cli('workspaces', 'set-default-model', '--workspace', 'ws_nope', '--model', 'gemini-3-flash');
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('No workspace ws_nope')]);
    expect(await query('SELECT default_model FROM workspaces WHERE id = $1', [free.id])).toEqual([{ default_model: null }]);
  }, TIMEOUT_MS);

  it('connects a provider with its models', async () => {
    const connected = await cliJson('workspaces', 'connect-provider', '--workspace', workspace.id, '--provider', 'openai', '--models', 'gpt-4o,o3');

    expect(connected).toEqual({ workspaceId: workspace.id, providerType: 'openai', models: ['gpt-4o', 'o3'] });
    expect(await query('SELECT provider_type, models FROM workspace_model_providers WHERE workspace_id = $1', [workspace.id])).toEqual([
      { provider_type: 'openai', models: ['gpt-4o', 'o3'] },
    ]);
  }, TIMEOUT_MS);

  it("mints a key for a workspace's first project, keeping only the token's SHA-256", async () => {
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    expiresAt.setUTCMilliseconds(0);

    const key = await cliJson(
      'api-keys', 'create', '--workspace', workspace.id, '--user', 'usr_alice', '--scopes', 'agents:read', '--expires-at', expiresAt.toISOString(),
    );

    expect(key).toEqual({
      token: expect.stringMatching(/^agk_[A-Za-z0-9_-]{43}$/),
      id: expect.stringMatching(/^key_[A-Za-z0-9_-]{16}$/),
      workspaceId: workspace.id,
      projectId: workspace.projectId,
      userId: 'usr_alice',
      scopes: ['agents:read'],
      expiresAt: expiresAt.toISOString(),
    });
    const token = key.token as string;
    const rows = await query<{ key_hash: Buffer; project_id: string; scopes: string[]; expires_at: Date; revoked_at: Date | null; row: string }>(
      'SELECT k.key_hash, k.project_id, k.scopes, k.expires_at, k.revoked_at, to_jsonb(k)::text AS row FROM api_keys k WHERE id = $1',
      [key.id],
    );
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.key_hash).toHaveLength(32);
    expect(row.key_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(row.row).not.toContain(token);
    expect(row.row).not.toContain(token.slice(4));
    expect(row).toMatchObject({ project_id: workspace.projectId, scopes: ['agents:read'], expires_at: expiresAt, revoked_at: null });
  }, TIMEOUT_MS);

  it('mints a key for a new workspace of the given tier, with the default scopes', async () => {
    const key = await cliJson('api-keys', 'create', '--tier', 'enterprise');

    expect(key).toEqual({
      token: expect.stringMatching(/^agk_[A-Za-z0-9_-]{43}$/),
      id: expect.stringMatching(/^key_/),
      workspaceId: expect.stringMatching(/^ws_/),
      projectId: expect.stringMatching(/^prj_/),
      userId: expect.stringMatching(/^usr_[A-Za-z0-9_-]{16}$/),
      scopes: ['agents:read', 'agents:write'],
      expiresAt: null,
    });
    expect(key.workspaceId).not.toBe(workspace.id);
    expect(await query('SELECT tier FROM workspaces WHERE id = $1', [key.workspaceId])).toEqual([{ tier: 'enterprise' }]);
    expect(await query('SELECT id FROM projects WHERE workspace_id = $1', [key.workspaceId])).toEqual([{ id: key.projectId }]);
  }, TIMEOUT_MS);

  it('revokes a key by its token, once', async () => {
    const key = await cliJson('api-keys', 'create', '--workspace', workspace.id);

    expect(await cliJson('api-keys', 'revoke', '--token', key.token as string)).toEqual({ revoked: true });
    const [row] = await query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_keys WHERE id = $1', [key.id]);
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - row.revoked_at!.getTime())).toBeLessThan(60_000);

    const again = await cli('api-keys', 'revoke', '--token', key.token as string, '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual({ revoked: false });
    expect(again.stderr).toMatch(/^error: /);
  }, TIMEOUT_MS);

  it('refuses a key for a project outside the workspace', async () => {
    const other = await cliJson('workspaces', 'create', '--name', 'Other');

    const run = await cli('api-keys', 'create', '--workspace', workspace.id, '--project', other.projectId as string, '--json');

    expect(run).toEqual({ code: 1, stdout: '', stderr: `error: Project ${other.projectId} is not in workspace ${workspace.id}\n` });
  }, TIMEOUT_MS);

  it('refuses an unknown tier as bad usage, creating nothing', async () => {
    const [before] = await query<{ count: string }>('SELECT count(*) FROM workspaces');

    const run = await cli('workspaces', 'create', '--name', 'Gold', '--tier', 'gold', '--json');

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("argument 'gold' is invalid. Allowed choices are free, pro, team, enterprise.");
    expect(await query('SELECT count(*) FROM workspaces')).toEqual([before]);
  }, TIMEOUT_MS);
});
