import { AgentVersionOrmEntity } from '../modules/agents/infrastructure/agent-version.orm-entity.js';
import { AgentOrmEntity } from '../modules/agents/infrastructure/agent.orm-entity.js';
import { ApiKeyOrmEntity } from '../modules/auth/api-key.orm-entity.js';
import { IdempotencyKeyOrmEntity } from '../modules/idempotency/idempotency-key.orm-entity.js';
import { ProjectOrmEntity } from '../modules/workspaces/project.orm-entity.js';
import { WorkspaceModelProviderOrmEntity } from '../modules/workspaces/workspace-model-provider.orm-entity.js';
import { WorkspaceOrmEntity } from '../modules/workspaces/workspace.orm-entity.js';

export const ORM_ENTITIES = [
  WorkspaceOrmEntity,
  ProjectOrmEntity,
  WorkspaceModelProviderOrmEntity,
  ApiKeyOrmEntity,
  AgentOrmEntity,
  AgentVersionOrmEntity,
  IdempotencyKeyOrmEntity,
];
