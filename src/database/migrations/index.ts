import { InitialSchema1763900000000 } from './1763900000000-initial-schema.js';
import { AgentVersions1763900100000 } from './1763900100000-agent-versions.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [InitialSchema1763900000000, AgentVersions1763900100000];
