import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ProjectOrmEntity } from '../../workspaces/project.orm-entity.js';
import type { AgentBinary, DeepResearchModel } from '../domain/agent-rules.js';
import type { JsonObject } from '../domain/json-object.js';
import type { ReasoningEffort } from '../domain/reasoning-effort.js';

/**
 * The agents table. Keyed by project first, so it can be distributed by project. Each property is
 * a field of the Agent aggregate under the same name (the compiler checks it: agent.mapper.ts), and
 * the mapper and the repository's statements take their column lists from these decorators.
 */
@Entity({ name: 'agents' })
@Index('agents_one_default_per_project', ['projectId'], { unique: true, where: 'is_default' })
@Index('agents_project_created', ['projectId', 'createdAt', 'id'], { where: 'deleted_at IS NULL' })
// GIN indexes an entity cannot describe (trigrams for q, an expression's tokens for metadata): made
// by the agent-search-indexes and agent-metadata-tokens migrations, left alone by the schema builder.
@Index('agents_name_trigrams', { synchronize: false })
@Index('agents_metadata_tokens', { synchronize: false })
export class AgentOrmEntity {
  @PrimaryColumn('text', { name: 'project_id', primaryKeyConstraintName: 'agents_pkey' })
  @ForeignKey(() => ProjectOrmEntity, 'id', { onDelete: 'CASCADE', name: 'agents_project_fk' })
  projectId: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'agents_pkey' })
  id: string;

  @Column('text', { name: 'user_id' })
  userId: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('text')
  model: string;

  @Column('text', { nullable: true })
  instructions: string | null;

  @Column('jsonb', { name: 'execution_binary', nullable: true })
  binary: AgentBinary | null;

  @Column('text', { name: 'reasoning_effort' })
  reasoningEffort: ReasoningEffort;

  @Column('text', { name: 'enabled_skills', array: true, default: () => "'{}'" })
  enabledSkills: string[];

  @Column('text', { name: 'deep_research_model', nullable: true })
  deepResearchModel: DeepResearchModel | null;

  @Column('boolean', { name: 'is_default', default: false })
  isDefault: boolean;

  @Column('boolean', { name: 'is_system', default: false })
  isSystem: boolean;

  @Column('boolean', { name: 'is_active', default: true })
  isActive: boolean;

  @Column('jsonb', { default: () => "'{}'" })
  metadata: JsonObject;

  @Column('jsonb', { default: () => "'{}'" })
  config: JsonObject;

  @Column('text')
  version: string;

  @Column('integer', { default: 1 })
  revision: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'last_run_at', nullable: true })
  lastRunAt: Date | null;

  /** Not the aggregate's: a soft-deleted agent is not loaded at all. */
  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;
}
