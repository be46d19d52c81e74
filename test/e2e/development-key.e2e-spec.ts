import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, startService, type ServiceProcess } from '../reliability/support/service-process.js';
import { agentBody, call } from '../support/http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const START_TIMEOUT_MS = 90_000;
const KEY = /Authorization: Bearer (agk_[A-Za-z0-9_-]+)/;

async function stop(service: ServiceProcess): Promise<void> {
  service.signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const status = await Promise.race([service.exited, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 20_000)))]);
  clearTimeout(timer);
  if (status === null) await service.kill();
}

/** The built service (`node dist/src/main.js`) on a first start: a development key only on its own embedded database. */
describe('the development API key', () => {
  it('is printed, readably (LOG_FORMAT=pretty), on the first start of the embedded database, and works', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agents-embedded-'));
    // As root, initdb runs as a user of its own, which must reach the data directory (mkdtemp makes it 0700).
    chmodSync(dataDir, 0o755);
    const service = await startService(
      { EMBEDDED_PG_DIR: join(dataDir, 'postgres'), EMBEDDED_PG_PORT: String(await freePort()), LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' },
      START_TIMEOUT_MS,
    );
    try {
      const printed = service.output();
      const token = KEY.exec(printed)?.[1];
      expect(token).toBeDefined();
      // Readable lines, not JSON: no line of the start-up log parses as a JSON object.
      expect(printed.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
      expect(printed).toMatch(/WARN.*\n═+\nNew embedded database/);

      const created = await call(service.baseUrl, 'POST', '/v1/agents', { body: agentBody(), headers: { authorization: `Bearer ${token}` } });
      expect(created.status).toBe(201);
    } finally {
      await stop(service);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, START_TIMEOUT_MS + 30_000);

  it('is never made for a database named by DATABASE_URL, even an empty one', async () => {
    const database: TestDatabase = await createTestDatabase();
    const service = await startService({ DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    try {
      expect(service.output()).not.toMatch(/agk_/);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        expect((await client.query('SELECT count(*)::int AS n FROM workspaces UNION ALL SELECT count(*)::int FROM api_keys')).rows).toEqual([{ n: 0 }, { n: 0 }]);
      } finally {
        await client.end();
      }
      // And the log is JSON lines (stdout is not a terminal).
      const lines = service.output().split('\n').filter((line) => line.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
    } finally {
      await stop(service);
      await database.drop();
    }
  }, 60_000);
});
