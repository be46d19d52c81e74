import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from '../../src/database/run-migrations.js';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, migrated database of its own for one test file, on the server global-setup chose. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is unset: run the tests through jest (global-setup)');
  const name = `agents_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  await runMigrations({ url, poolSize: 2, statementTimeoutMs: 10_000 });
  return { url, drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
