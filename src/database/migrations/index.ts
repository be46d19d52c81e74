import { InitialSchema1763900000000 } from './1763900000000-initial-schema.js';
import { AgentVersions1763900100000 } from './1763900100000-agent-versions.js';
import { IdempotencyKeys1763900200000 } from './1763900200000-idempotency-keys.js';
import { WorkspaceDefaultModel1763900300000 } from './1763900300000-workspace-default-model.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [InitialSchema1763900000000, AgentVersions1763900100000, IdempotencyKeys1763900200000, WorkspaceDefaultModel1763900300000];
