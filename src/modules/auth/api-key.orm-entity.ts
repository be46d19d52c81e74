import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ProjectOrmEntity } from '../workspaces/project.orm-entity.js';
import { WorkspaceOrmEntity } from '../workspaces/workspace.orm-entity.js';
import type { Scope } from '../../shared/domain/caller.js';

/** An API key: only the SHA-256 of its token is kept, and looked up by. */
@Entity({ name: 'api_keys' })
@Index('api_keys_key_hash', ['keyHash'], { unique: true })
export class ApiKeyOrmEntity {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'api_keys_pkey' })
  id: string;

  @Column('bytea', { name: 'key_hash' })
  keyHash: Buffer;

  @Column('text', { name: 'workspace_id' })
  @ForeignKey(() => WorkspaceOrmEntity, 'id', { onDelete: 'CASCADE', name: 'api_keys_workspace_fk' })
  workspaceId: string;

  @Column('text', { name: 'project_id' })
  @ForeignKey(() => ProjectOrmEntity, 'id', { onDelete: 'CASCADE', name: 'api_keys_project_fk' })
  projectId: string;

  @Column('text', { name: 'user_id' })
  userId: string;

  @Column('text', { array: true })
  scopes: Scope[];

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
