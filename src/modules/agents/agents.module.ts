import { Module } from '@nestjs/common';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { CreateAgentHandler } from './application/create-agent/create-agent.handler.js';
import { ListModelsHandler } from './application/list-models/list-models.handler.js';
import { AgentRepository } from './domain/agent.repository.js';
import { TypeOrmAgentRepository } from './infrastructure/typeorm-agent.repository.js';
import { AgentsController } from './interface/http/agents.controller.js';

@Module({
  imports: [WorkspacesModule],
  controllers: [AgentsController],
  providers: [CreateAgentHandler, ListModelsHandler, { provide: AgentRepository, useClass: TypeOrmAgentRepository }],
})
export class AgentsModule {}
