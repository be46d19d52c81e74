import { loadEnvironment } from '../config/environment.js';
import { ApiKeyIssuer } from '../modules/auth/api-key-issuer.js';
import { ApiKeyRepository } from '../modules/auth/api-key.repository.js';
import { WorkspaceAdmin } from '../modules/workspaces/workspace-admin.js';
import { openCliDatabase } from './cli-database.js';
import type { CliLogger } from './cli-logger.js';

/** What the commands work with. */
export interface CliServices {
  readonly workspaces: WorkspaceAdmin;
  readonly keys: ApiKeyIssuer;
  readonly logger: CliLogger;
}

/** Runs `work` against the database, opened for it and closed after it, whatever happens. */
export type CliSession = <T>(work: (services: CliServices) => Promise<T>) => Promise<T>;

export function cliSession(logger: CliLogger, env: NodeJS.ProcessEnv = process.env): CliSession {
  return async (work) => {
    const database = await openCliDatabase(loadEnvironment(env), logger);
    try {
      return await work({
        workspaces: new WorkspaceAdmin(database.dataSource),
        keys: new ApiKeyIssuer(new ApiKeyRepository(database.dataSource)),
        logger,
      });
    } finally {
      await database.close();
    }
  };
}
