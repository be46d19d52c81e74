import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { WorkspaceOrmEntity } from './workspace.orm-entity.js';

@Entity({ name: 'projects' })
@Index('projects_workspace', ['workspaceId'])
export class ProjectOrmEntity {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'projects_pkey' })
  id: string;

  @Column('text', { name: 'workspace_id' })
  @ForeignKey(() => WorkspaceOrmEntity, 'id', { onDelete: 'CASCADE', name: 'projects_workspace_fk' })
  workspaceId: string;

  @Column('text')
  name: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
