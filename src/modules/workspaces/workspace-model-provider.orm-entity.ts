import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { WorkspaceOrmEntity } from './workspace.orm-entity.js';

/** An external model provider (its type, such as "openai") that a workspace has connected. */
@Entity({ name: 'workspace_model_providers' })
export class WorkspaceModelProviderOrmEntity {
  @PrimaryColumn('text', { name: 'workspace_id', primaryKeyConstraintName: 'workspace_model_providers_pkey' })
  @ForeignKey(() => WorkspaceOrmEntity, 'id', { onDelete: 'CASCADE', name: 'workspace_model_providers_workspace_fk' })
  workspaceId: string;

  @PrimaryColumn('text', { name: 'provider_type', primaryKeyConstraintName: 'workspace_model_providers_pkey' })
  providerType: string;

  /** Model ids offered through the provider, listed by GET /v1/agents/models. */
  @Column('text', { array: true, default: () => "'{}'" })
  models: string[];

  @Column('timestamptz', { name: 'connected_at', default: () => 'now()' })
  connectedAt: Date;
}
