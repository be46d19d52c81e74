import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { AgentConfiguration, VersionAuthor } from '../domain/agent-version.js';
import { AgentOrmEntity } from './agent.orm-entity.js';

/** One immutable version of an agent's configuration; `number` orders them (1, 2, 3…). */
@Entity({ name: 'agent_versions' })
@Index('agent_versions_version', ['projectId', 'agentId', 'version'], { unique: true })
@ForeignKey(() => AgentOrmEntity, ['projectId', 'agentId'], ['projectId', 'id'], { onDelete: 'CASCADE', name: 'agent_versions_agent_fk' })
export class AgentVersionOrmEntity {
  @PrimaryColumn('text', { name: 'project_id', primaryKeyConstraintName: 'agent_versions_pkey' })
  projectId: string;

  @PrimaryColumn('text', { name: 'agent_id', primaryKeyConstraintName: 'agent_versions_pkey' })
  agentId: string;

  @PrimaryColumn('integer', { primaryKeyConstraintName: 'agent_versions_pkey' })
  number: number;

  @Column('text')
  version: string;

  @Column('jsonb')
  configuration: AgentConfiguration;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  /** Null for the versions written before authors were recorded. */
  @Column('jsonb', { name: 'created_by', nullable: true })
  createdBy: VersionAuthor | null;
}
