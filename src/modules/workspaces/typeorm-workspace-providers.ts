import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WorkspaceProviders, type ConnectedProvider } from '../agents/application/workspace-providers.port.js';
import { WorkspaceModelProviderOrmEntity } from './workspace-model-provider.orm-entity.js';
import { WorkspaceOrmEntity } from './workspace.orm-entity.js';

@Injectable()
export class TypeOrmWorkspaceProviders extends WorkspaceProviders {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async connected(workspaceId: string): Promise<readonly ConnectedProvider[]> {
    const rows = await this.dataSource.getRepository(WorkspaceModelProviderOrmEntity).find({
      where: { workspaceId },
      order: { providerType: 'ASC' },
    });
    return rows.map((row) => ({ providerType: row.providerType, models: row.models }));
  }

  async chosenDefaultModel(workspaceId: string): Promise<string | null> {
    const workspace = await this.dataSource.getRepository(WorkspaceOrmEntity).findOne({ where: { id: workspaceId }, select: { defaultModel: true } });
    return workspace?.defaultModel ?? null;
  }
}
