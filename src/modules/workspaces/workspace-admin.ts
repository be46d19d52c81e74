import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { tierReaches, type Tier } from '../../shared/domain/tier.js';
import { findManagedModel, MODEL_CATALOG } from '../agents/domain/model-catalog.js';
import { ProjectOrmEntity } from './project.orm-entity.js';
import { WorkspaceModelProviderOrmEntity } from './workspace-model-provider.orm-entity.js';
import { WorkspaceOrmEntity } from './workspace.orm-entity.js';

export const PROVIDER_TYPE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface CreatedWorkspace {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  /** Every workspace starts with one project, so a key can be minted for it at once. */
  readonly projectId: string;
}

/** A default model the workspace cannot have. */
export class DefaultModelRefusedError extends Error {}

export class UnknownWorkspaceError extends Error {
  constructor(id: string) {
    super(`No workspace ${id}`);
  }
}

/** What operators do to workspaces (through the CLI): create them, connect providers, add projects. */
export class WorkspaceAdmin {
  constructor(private readonly dataSource: DataSource) {}

  async create(name: string, tier: Tier): Promise<CreatedWorkspace> {
    const id = newId('ws');
    const projectId = newId('prj');
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(WorkspaceOrmEntity, { id, name, tier });
      await manager.insert(ProjectOrmEntity, { id: projectId, workspaceId: id, name: 'Default project' });
    });
    return { id, name, tier, projectId };
  }

  async createProject(workspaceId: string, name: string): Promise<string> {
    await this.require(workspaceId);
    const id = newId('prj');
    await this.dataSource.getRepository(ProjectOrmEntity).insert({ id, workspaceId, name });
    return id;
  }

  /** The project a key is minted for when none is named: the workspace's first. */
  async firstProjectOf(workspaceId: string): Promise<string> {
    const project = await this.dataSource.getRepository(ProjectOrmEntity).findOne({
      where: { workspaceId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    if (!project) throw new UnknownWorkspaceError(workspaceId);
    return project.id;
  }

  async projectBelongs(workspaceId: string, projectId: string): Promise<boolean> {
    return this.dataSource.getRepository(ProjectOrmEntity).exists({ where: { id: projectId, workspaceId } });
  }

  async setTier(workspaceId: string, tier: Tier): Promise<void> {
    const result = await this.dataSource.getRepository(WorkspaceOrmEntity).update({ id: workspaceId }, { tier });
    if (!result.affected) throw new UnknownWorkspaceError(workspaceId);
  }

  /**
   * Chooses the model an agent created without one gets: a managed model the workspace's tier
   * reaches (an external provider can be disconnected, so it cannot be a default).
   */
  async setDefaultModel(workspaceId: string, modelId: string): Promise<void> {
    const workspace = await this.dataSource.getRepository(WorkspaceOrmEntity).findOne({ where: { id: workspaceId } });
    if (!workspace) throw new UnknownWorkspaceError(workspaceId);
    const model = findManagedModel(modelId);
    if (!model) throw new DefaultModelRefusedError(`Unknown managed model "${modelId}": use one of ${MODEL_CATALOG.map((entry) => entry.id).join(', ')}`);
    if (!tierReaches(workspace.tier, model.requiredTier)) {
      throw new DefaultModelRefusedError(`The ${workspace.tier} tier of workspace ${workspaceId} does not reach ${modelId} (it needs ${model.requiredTier})`);
    }
    await this.dataSource.getRepository(WorkspaceOrmEntity).update({ id: workspaceId }, { defaultModel: modelId });
  }

  /** Connects (or updates) an external provider; `models` are the ids it offers. */
  async connectProvider(workspaceId: string, providerType: string, models: readonly string[]): Promise<void> {
    await this.require(workspaceId);
    await this.dataSource
      .getRepository(WorkspaceModelProviderOrmEntity)
      .upsert({ workspaceId, providerType, models: [...models] }, ['workspaceId', 'providerType']);
  }

  async disconnectProvider(workspaceId: string, providerType: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(WorkspaceModelProviderOrmEntity).delete({ workspaceId, providerType });
    return (result.affected ?? 0) > 0;
  }

  async exists(workspaceId: string): Promise<boolean> {
    return this.dataSource.getRepository(WorkspaceOrmEntity).exists({ where: { id: workspaceId } });
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.dataSource.getRepository(WorkspaceOrmEntity).exists());
  }

  private async require(workspaceId: string): Promise<void> {
    if (!(await this.exists(workspaceId))) throw new UnknownWorkspaceError(workspaceId);
  }
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
