import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const CLIENT_DIR = resolve('clients/typescript');
const GENERATE = resolve(CLIENT_DIR, 'scripts/generate-types.mjs');
const COMMITTED = resolve(CLIENT_DIR, 'src/generated/openapi.ts');

/**
 * The TypeScript client's types are generated from the service's own OpenAPI document
 * (clients/typescript/scripts/generate-types.mjs, openapi-typescript): regenerated here from the
 * document the service serves now, they must be the committed ones.
 */
describe('the TypeScript client (clients/typescript)', () => {
  let t: TestApp;
  let scratch: string;
  let document: any;

  /** The types the generation script writes for a document. */
  const generate = async (doc: unknown): Promise<string> => {
    const input = join(scratch, `openapi-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(input, JSON.stringify(doc));
    const { stdout } = await run(process.execPath, [GENERATE, '--from', input, '--out', '-'], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'agents-client-'));
    t = await startTestApp();
    document = (await call(t.baseUrl, 'GET', '/openapi.json')).body;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('has committed types that are the ones generated from the current OpenAPI document', async () => {
    const regenerated = await generate(document);
    const committed = await readFile(COMMITTED, 'utf8');
    if (regenerated !== committed) {
      const at = [...regenerated].findIndex((char, i) => char !== committed[i]);
      const line = regenerated.slice(0, at).split('\n').length;
      throw new Error(
        `clients/typescript/src/generated/openapi.ts is not what the current OpenAPI document generates (first difference at line ${line}): ` +
          'run `npm run client:generate` and commit the result',
      );
    }
    expect(regenerated).toContain('"/v1/agents": {');
  }, 60_000);

  it('generates the same text every time, and other text for another document (so the comparison can fail)', async () => {
    const once = await generate(document);
    expect(await generate(document)).toBe(once);
    const changed = structuredClone(document);
    delete changed.paths['/v1/agents/models'];
    changed.components.schemas.AgentView.properties.name.description = 'a description the service does not have';
    const other = await generate(changed);
    expect(other).not.toBe(once);
    expect(other).not.toContain('"/v1/agents/models"');
    // A field with a default stays optional in a request (openapi-typescript's --default-non-nullable=false).
    expect(once).toMatch(/\n\s+version\?: string;/);
  }, 60_000);

  it('compiles (tsc -p clients/typescript) against the committed types', async () => {
    const tsc = run(resolve('node_modules/.bin/tsc'), ['-p', CLIENT_DIR, '--noEmit'], { timeout: 60_000 });
    await expect(tsc.then(() => 'compiles', (failure: { stdout: string }) => failure.stdout)).resolves.toBe('compiles');
  }, 60_000);

  it("has a README whose runner is examples/runner.ts, and that runner compiles", async () => {
    const runner = await readFile(resolve(CLIENT_DIR, 'examples/runner.ts'), 'utf8');
    const readme = await readFile(resolve(CLIENT_DIR, 'README.md'), 'utf8');
    const snippet = /## A runner in a dozen lines[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toBe(runner.replace("'../src/index.js'", "'@agents-api/client'"));
    const tsc = run(
      resolve('node_modules/.bin/tsc'),
      ['--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--types', 'node', resolve(CLIENT_DIR, 'examples/runner.ts')],
      { timeout: 60_000 },
    );
    await expect(tsc.then(() => 'compiles', (failure: { stdout: string }) => failure.stdout)).resolves.toBe('compiles');
  }, 60_000);
});
