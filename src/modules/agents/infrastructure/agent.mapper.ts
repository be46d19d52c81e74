import { Agent } from '../domain/agent.js';
import type { AgentConfiguration, AgentVersion } from '../domain/agent-version.js';
import type { DeepResearchModel } from '../domain/agent-rules.js';
import type { ReasoningEffort } from '../domain/reasoning-effort.js';
import type { AgentOrmEntity } from './agent.orm-entity.js';

/** A row as TypeORM or node-postgres returns it: the entity's columns under their column names. */
export interface AgentRow {
  project_id: string;
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  model: string;
  instructions: string | null;
  execution_binary: AgentOrmEntity['binary'];
  reasoning_effort: string;
  enabled_skills: string[];
  deep_research_model: string | null;
  is_default: boolean;
  is_system: boolean;
  is_active: boolean;
  metadata: AgentOrmEntity['metadata'];
  config: AgentOrmEntity['config'];
  version: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
  last_run_at: Date | null;
}

export function toDomain(row: AgentRow): Agent {
  return Agent.reconstitute({
    id: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    description: row.description,
    model: row.model,
    instructions: row.instructions,
    binary: row.execution_binary,
    reasoningEffort: row.reasoning_effort as ReasoningEffort,
    enabledSkills: row.enabled_skills,
    deepResearchModel: row.deep_research_model as DeepResearchModel | null,
    isDefault: row.is_default,
    isSystem: row.is_system,
    isActive: row.is_active,
    metadata: row.metadata,
    config: row.config,
    version: row.version,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRunAt: row.last_run_at,
  });
}

/** The agent's columns in INSERT_COLUMNS order, as query parameters. */
export function toPersistence(agent: Agent): unknown[] {
  const a = agent.snapshot();
  return [
    a.projectId, a.id, a.userId, a.name, a.description, a.model, a.instructions,
    a.binary === null ? null : JSON.stringify(a.binary), a.reasoningEffort, a.enabledSkills,
    a.deepResearchModel, a.isDefault, a.isSystem, a.isActive, JSON.stringify(a.metadata),
    JSON.stringify(a.config), a.version, a.revision, a.createdAt, a.updatedAt, a.lastRunAt,
  ];
}

/** The agents columns a new agent fills, with their SQL types, in toPersistence order. */
export const INSERT_COLUMNS = [
  ['project_id', 'text'], ['id', 'text'], ['user_id', 'text'], ['name', 'text'], ['description', 'text'],
  ['model', 'text'], ['instructions', 'text'], ['execution_binary', 'jsonb'], ['reasoning_effort', 'text'],
  ['enabled_skills', 'text[]'], ['deep_research_model', 'text'], ['is_default', 'boolean'],
  ['is_system', 'boolean'], ['is_active', 'boolean'], ['metadata', 'jsonb'], ['config', 'jsonb'],
  ['version', 'text'], ['revision', 'integer'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ['last_run_at', 'timestamptz'],
] as const;

export interface AgentVersionRow {
  project_id: string;
  agent_id: string;
  number: number;
  version: string;
  configuration: AgentConfiguration;
  created_at: Date;
}

export function toVersion(row: AgentVersionRow): AgentVersion {
  return {
    projectId: row.project_id,
    agentId: row.agent_id,
    version: row.version,
    configuration: row.configuration,
    createdAt: row.created_at,
  };
}
