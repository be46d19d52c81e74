import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { Tier } from '../../shared/domain/tier.js';

@Entity({ name: 'workspaces' })
@Check('workspaces_tier_check', `tier IN ('free', 'pro', 'team', 'enterprise')`)
export class WorkspaceOrmEntity {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'workspaces_pkey' })
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  tier: Tier;

  /** Chosen with the CLI's `workspaces set-default-model`; null: the catalog's default. */
  @Column('text', { name: 'default_model', nullable: true })
  defaultModel: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
