import { Ajv2020 } from 'ajv/dist/2020.js';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

const run = promisify(execFile);
const SEED = resolve('../shared/seeds/charm-create-agent.openapi.yaml');
const CLIENT_DIR = resolve('test/e2e/charm-client');
const GENERATED = resolve(CLIENT_DIR, 'generated/charm-seed.d.ts');
const BIN = resolve('node_modules/.bin');
// Loaded once its types exist, by a path the compiler does not follow: the project's type check
// must not depend on a file generated at test time (this test checks the runner itself).
const RUNNER: string = './charm-client/charm-runner.js';

interface CharmRunner {
  charmClient(baseUrl: string, apiKey: string): unknown;
  createRunner(client: unknown, userId: string): Promise<{ status: number; data: any }>;
  createWithNulls(client: unknown, userId: string): Promise<{ status: number; data: any }>;
  createInvalid(client: unknown, userId: string): Promise<{ status: number; error: { detail?: { loc: (string | number)[] }[] } | undefined }>;
}

/**
 * A client generated from the Charm OpenAPI seed works against the service unchanged: the types
 * are generated here, at test time, from the seed itself (openapi-typescript), the runner module
 * is type-checked against them, then runs over HTTP (openapi-fetch).
 */
describe('a client generated from the Charm seed', () => {
  let t: TestApp;
  let tenant: Tenant;
  let runner: CharmRunner;
  const client = () => runner.charmClient(t.baseUrl, tenant.token);

  beforeAll(async () => {
    // A field with a default (the seed's `version`) stays optional in a request, as the seed means it.
    await run(resolve(BIN, 'openapi-typescript'), [SEED, '--default-non-nullable=false', '--output', GENERATED], { timeout: 60_000 });
    runner = (await import(RUNNER)) as CharmRunner;
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await t.tenants.create();
  }, 90_000);
  afterAll(() => t?.close());

  it('compiles against the types generated from the seed (and those types are enforced)', async () => {
    const tsc = run(
      resolve(BIN, 'tsc'),
      ['--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--types', 'node', resolve(CLIENT_DIR, 'charm-runner.ts')],
      { timeout: 60_000 },
    );
    await expect(tsc.then(() => 'compiles', (failure: { stdout: string }) => failure.stdout)).resolves.toBe('compiles');
  }, 90_000);

  it("creates an agent from only user_id and name: the workspace's default model and its default effort", async () => {
    const created = await runner.createRunner(client(), tenant.userId);
    expect(created.status).toBe(201);
    expect(created.data.agent).toMatchObject({ name: 'Runner', userId: tenant.userId, model: 'claude-sonnet-4-5', reasoningEffort: 'medium', version: '1.0.0' });
  });

  it("keeps taking the seed's nullable fields as null", async () => {
    const created = await runner.createWithNulls(client(), tenant.userId);
    expect(created.status).toBe(201);
    expect(created.data.agent).toMatchObject({ name: 'Nulls', version: '1.0.0', config: {}, metadata: {} });
  });

  it("answers a bad request with a 422 that is the seed's HTTPValidationError", async () => {
    const refused = await runner.createInvalid(client(), tenant.userId);
    expect(refused.status).toBe(422);

    const seed = parse(readFileSync(SEED, 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(seed, 'charm-seed');
    const validate = ajv.getSchema('charm-seed#/components/schemas/HTTPValidationError')!;
    expect([validate(refused.error), validate.errors ?? null]).toEqual([true, null]);
    expect(refused.error!.detail!.map((problem) => problem.loc)).toEqual(expect.arrayContaining([['body', 'name'], expect.arrayContaining(['body', 'config'])]));
    // The check is a real one: the shape of another API's error is not an HTTPValidationError.
    expect(validate({ detail: 'Agent x not found' })).toBe(false);
  });
});
