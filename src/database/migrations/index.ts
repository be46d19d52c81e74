import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A migration's file: `<13-digit timestamp>-<kebab-case name>.ts` (or `.js` once built). */
const MIGRATION_FILE = /^\d{13}-[a-z0-9-]+\.(?:ts|js)$/;
const directory = dirname(fileURLToPath(import.meta.url));

/**
 * Every migration of this directory, oldest first: the classes its files export. Found by their
 * file names, so that a new migration is its file alone (its class name must still end with its
 * timestamp, as TypeORM requires). Loaded once, when this module is first imported.
 */
export const MIGRATIONS: (new () => unknown)[] = (
  await Promise.all(
    readdirSync(directory)
      .filter((file) => MIGRATION_FILE.test(file) && !file.endsWith('.d.ts'))
      .sort()
      .map((file) => import(pathToFileURL(join(directory, file)).href) as Promise<Record<string, new () => unknown>>),
  )
).flatMap((module) => Object.values(module));
