import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SPECTRAL = `${ROOT}node_modules/.bin/spectral`;
const TIMEOUT_MS = 60_000;
// Spectral's DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint.
const WARNING = 1;

interface SpectralResult {
  readonly code: string;
  readonly path: (string | number)[];
  readonly message: string;
  readonly severity: number;
}

interface SpectralRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Lints the document with the committed .spectral.yaml. It goes in on stdin under the name
 * openapi.json: the ruleset's per-operation overrides match that name, relative to the ruleset,
 * which a file in the system's temporary directory never is.
 */
function spectralLint(document: string): Promise<SpectralRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      SPECTRAL,
      ['lint', '--ruleset', '.spectral.yaml', '--stdin-filepath', 'openapi.json', '--format', 'json', '--quiet'],
      { cwd: ROOT, timeout: TIMEOUT_MS, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
    child.stdin.end(document);
  });
}

/** The results as a list, or a failure that shows what Spectral printed when it is not one. */
function parseResults(run: SpectralRun): SpectralResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`Spectral printed no JSON (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`Spectral printed no list of results (exit ${run.exitCode}):\n${run.stdout}`);
  return parsed as SpectralResult[];
}

const describeResult = (result: SpectralResult) => `${result.code} at ${result.path.join('.')}: ${result.message}`;

describe('OpenAPI lint (spectral:oas and the OWASP API security ruleset, .spectral.yaml)', () => {
  let t: TestApp;
  let document: string;
  beforeAll(async () => {
    t = await startTestApp();
    const answer = await fetch(`${t.baseUrl}/openapi.json`);
    expect(answer.status).toBe(200);
    document = await answer.text();
  });
  afterAll(() => t.close());

  it(
    'finds no error and no warning in the served document',
    async () => {
      const results = parseResults(await spectralLint(document));
      const problems = results.filter((result) => result.severity <= WARNING).map(describeResult);
      expect(problems).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'reports what the ruleset does not allow (the lint is live, not silenced)',
    async () => {
      const broken = JSON.parse(document);
      delete broken.paths['/v1/agents'].post.description;
      const results = parseResults(await spectralLint(JSON.stringify(broken)));
      expect(results.map(describeResult)).toEqual([expect.stringMatching(/^operation-description at paths\.\/v1\/agents\.post: /)]);
    },
    TIMEOUT_MS,
  );
});
