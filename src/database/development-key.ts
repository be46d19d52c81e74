import type { INestApplication, LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyIssuer } from '../modules/auth/api-key-issuer.js';
import { ApiKeyRepository } from '../modules/auth/api-key.repository.js';
import { WorkspaceAdmin } from '../modules/workspaces/workspace-admin.js';

/**
 * On the first start on the service's own embedded database (never on a database named by
 * DATABASE_URL, where keys are minted with the CLI), with no workspace at all: a workspace and a
 * key to try the API with at once, framed so that it stands out in the start-up lines.
 */
export async function printDevelopmentKeyIfEmpty(app: INestApplication, logger: LoggerService): Promise<void> {
  const dataSource = app.get(DataSource);
  const workspaces = new WorkspaceAdmin(dataSource);
  if (!(await workspaces.isEmpty())) return;
  const workspace = await workspaces.create('Development', 'enterprise');
  const key = await new ApiKeyIssuer(app.get(ApiKeyRepository)).issue({
    workspaceId: workspace.id,
    projectId: workspace.projectId,
    userId: 'usr_development',
    scopes: ['agents:read', 'agents:write'],
  });
  const lines = [
    `New embedded database: created the enterprise workspace ${workspace.id} and a development API key,`,
    'shown this once (mint more with `npm run cli -- api-keys create`):',
    '',
    `    Authorization: Bearer ${key.token}`,
  ];
  const rule = '═'.repeat(Math.max(...lines.map((line) => line.length)));
  logger.warn(['', rule, ...lines, rule].join('\n'));
}
