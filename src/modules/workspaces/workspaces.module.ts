import { Module } from '@nestjs/common';
import { WorkspaceProviders } from '../agents/application/workspace-providers.port.js';
import { TypeOrmWorkspaceProviders } from './typeorm-workspace-providers.js';

@Module({
  providers: [{ provide: WorkspaceProviders, useClass: TypeOrmWorkspaceProviders }],
  exports: [WorkspaceProviders],
})
export class WorkspacesModule {}
