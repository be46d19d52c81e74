import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { loadEnvironment } from '../../src/config/environment.js';

// No container engine runs here, so docker-compose.yml is checked, not run: dclint (the Compose
// Specification's JSON schema, then its best-practice rules) run as a developer or CI runs it, from
// the repository root so that a .dclintrc there applies; then what the schema cannot know.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const require = createRequire(import.meta.url);
const DCLINT = join(require.resolve('dclint/package.json'), '..', require('dclint/package.json').bin.dclint);
const TIMEOUT_MS = 30_000;

interface LintMessage {
  readonly rule: string;
  readonly type: 'error' | 'warning';
  readonly message: string;
}
interface LintRun {
  readonly code: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly messages: readonly LintMessage[];
}

/** dclint's CLI on one file, its JSON report. */
function lint(file: string): Promise<LintRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [DCLINT, file, '--formatter', 'json'], { cwd: ROOT, timeout: TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      try {
        const [report] = JSON.parse(stdout) as Array<{ errorCount: number; warningCount: number; messages: LintMessage[] }>;
        resolve({ code, errorCount: report.errorCount, warningCount: report.warningCount, messages: report.messages.map(({ rule, type, message }) => ({ rule, type, message })) });
      } catch {
        reject(new Error(`dclint printed no JSON report (exit ${code}): ${stderr || stdout}`));
      }
    });
  });
}

type Service = {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  healthcheck?: { test?: string[] | string; disable?: boolean; [duration: string]: unknown };
  depends_on?: Record<string, { condition?: string }>;
  stop_grace_period?: string;
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const compose = (): Compose => YAML.parse(readFileSync(COMPOSE_FILE, 'utf8')) as Compose;
const command = (test: string[] | string | undefined) => (Array.isArray(test) ? test.join(' ') : String(test));

describe('docker-compose.yml', () => {
  describe('against the Compose Specification (dclint)', () => {
    let scratch: string;
    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'agents-compose-'));
    });
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    /** The committed file, changed by `mutate` (or not), written to a directory of its own. */
    function copy(name: string, mutate: (document: Compose) => void = () => {}): string {
      const document = compose();
      mutate(document);
      const file = join(mkdtempSync(join(scratch, `${name}-`)), 'docker-compose.yml');
      writeFileSync(file, YAML.stringify(document));
      return file;
    }

    it('finds no error and no warning in the committed file', async () => {
      const run = await lint(COMPOSE_FILE);
      expect(run.messages).toEqual([]);
      expect(run).toMatchObject({ code: 0, errorCount: 0, warningCount: 0 });
    }, TIMEOUT_MS);

    it('rejects a copy that breaks the schema, and only for that', async () => {
      const [control, portsNotAList, unknownCondition, misspeltKey] = await Promise.all([
        lint(copy('control')),
        // The example; the schema leaves `restart` a free string, so the `ports` are what it catches.
        lint(copy('ports', (document) => Object.assign(document.services.api, { ports: 3000, restart: 'sometimes' }))),
        lint(copy('condition', (document) => Object.assign(document.services.api.depends_on!.postgres, { condition: 'service_ready' }))),
        lint(copy('key', (document) => Object.assign(document.services.redis.healthcheck!, { intervall: '5s' }))),
      ]);
      // The same document, re-serialised, is still valid: the failures below are the changes'.
      expect(control).toMatchObject({ code: 0, errorCount: 0 });
      for (const [run, path] of [
        [portsNotAList, '/services/api/ports'],
        [unknownCondition, '/services/api/depends_on'],
        [misspeltKey, '/services/redis/healthcheck'],
      ] as const) {
        expect(run).toMatchObject({ code: 1, errorCount: 1 });
        expect(run.messages).toEqual([expect.objectContaining({ rule: 'invalid-schema', type: 'error', message: expect.stringContaining(`instancePath="${path}`) })]);
      }
    }, TIMEOUT_MS);
  });

  describe('what the schema cannot know', () => {
    const { services } = compose();

    it('runs the api with PostgreSQL, Redis and NATS, each with a health check', () => {
      expect(Object.keys(services).sort()).toEqual(['api', 'nats', 'postgres', 'redis']);
      for (const [name, service] of Object.entries(services)) {
        expect([name, service.healthcheck?.disable]).toEqual([name, undefined]);
        expect([name, command(service.healthcheck?.test)]).toEqual([name, expect.stringMatching(/^CMD(-SHELL)? \S/)]);
      }
      expect(command(services.postgres.healthcheck?.test)).toContain('pg_isready');
      expect(command(services.redis.healthcheck?.test)).toContain('redis-cli ping');
    });

    it('starts the api once the three are healthy, and checks it on /health/ready', () => {
      expect(services.api.depends_on).toEqual({
        nats: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(command(services.api.healthcheck?.test)).toContain("fetch('http://127.0.0.1:3000/health/ready')");
      expect(services.api.ports).toEqual(expect.arrayContaining([expect.stringMatching(/:3000:3000$/), expect.stringMatching(/:9464:9464$/)]));
    });

    it('points the api at the three services, with values the service accepts', () => {
      const environment = services.api.environment!;
      expect(environment).toMatchObject({
        DATABASE_URL: expect.stringMatching(/^postgres:\/\/[^@]+@postgres:5432\//),
        REDIS_URL: 'redis://redis:6379',
        NATS_URL: 'nats://nats:4222',
        METRICS_HOST: '0.0.0.0',
      });
      expect(() => loadEnvironment(environment)).not.toThrow();
      // Every variable is one the service reads.
      const source = readFileSync(join(ROOT, 'src/config/environment.ts'), 'utf8');
      const read = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]*)\??:/gm)].map(([, name]) => name);
      expect(read).toContain('NATS_URL');
      expect(Object.keys(environment).filter((name) => !read.includes(name))).toEqual([]);
    });

    it('runs NATS with JetStream, its store in a volume and its health on the monitoring port', () => {
      expect(services.nats.image).toMatch(/^nats:2(\.[\d.]+)?-alpine/);
      expect(services.nats.command).toEqual(expect.arrayContaining(['-js', '-sd', '/data', '-m', '8222']));
      expect(services.nats.volumes).toEqual([expect.stringMatching(/^[\w-]+:\/data$/)]);
      expect(command(services.nats.healthcheck?.test)).toContain('http://127.0.0.1:8222/healthz?js-enabled-only=true');
    });

    it('keeps PostgreSQL (15 or newer) in a volume at the path its image expects', () => {
      const major = Number(/^postgres:(\d+)/.exec(services.postgres.image ?? '')?.[1]);
      expect(major).toBeGreaterThanOrEqual(15);
      // From 18 on, the image refuses a volume on /var/lib/postgresql/data.
      expect(services.postgres.volumes).toEqual([expect.stringMatching(major >= 18 ? /^[\w-]+:\/var\/lib\/postgresql$/ : /^[\w-]+:\/var\/lib\/postgresql\/data$/)]);
    });

    it('uses restart policies and durations Docker accepts (the schema takes any string)', () => {
      const duration = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
      for (const [name, service] of Object.entries(services)) {
        if (service.restart !== undefined) expect([name, service.restart]).toEqual([name, expect.stringMatching(/^(no|always|unless-stopped|on-failure(:\d+)?)$/)]);
        for (const key of ['interval', 'timeout', 'start_period', 'start_interval']) {
          const value = service.healthcheck?.[key];
          if (value !== undefined) expect([name, key, value]).toEqual([name, key, expect.stringMatching(duration)]);
        }
        if (service.stop_grace_period !== undefined) expect([name, service.stop_grace_period]).toEqual([name, expect.stringMatching(duration)]);
      }
    });
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('builds on Node 24 slim with npm ci, and runs the built service as the node user', () => {
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, image]) => image)).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/^RUN npm ci /m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n? *CMD .*\/health\/ready/m);
  });

  it("runs node itself as PID 1, with the V8 flags of package.json's start:prod", () => {
    const startProd: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'];
    expect(startProd).toMatch(/^node (--\S+ )+dist\/src\/main\.js$/);
    const cmd = dockerfile.match(/^CMD (\[.*\])$/m)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(startProd.split(' '));
  });

  it('names files the build writes: the service and the CLI the compose header uses', () => {
    expect(readFileSync(COMPOSE_FILE, 'utf8')).toContain('docker compose exec api node dist/src/cli/main.js api-keys create');
    for (const built of ['dist/src/main.js', 'dist/src/cli/main.js']) expect([built, existsSync(join(ROOT, built))]).toEqual([built, true]);
  });

  it('leaves in the build context what the build needs', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git']));
    for (const needed of ['package.json', 'package-lock.json', 'src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'ormconfig.ts']) {
      expect([needed, ignored.includes(needed)]).toEqual([needed, false]);
    }
  });
});
