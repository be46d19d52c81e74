import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { AgentQueries } from './application/agent-queries.port.js';
import { CreateAgentHandler } from './application/create-agent/create-agent.handler.js';
import { DeleteAgentHandler } from './application/delete-agent/delete-agent.handler.js';
import { DeleteLabelHandler } from './application/delete-label/delete-label.handler.js';
import { DiffVersionsHandler } from './application/diff-versions/diff-versions.handler.js';
import { GetAgentHandler } from './application/get-agent/get-agent.handler.js';
import { GetVersionHandler } from './application/get-version/get-version.handler.js';
import { ListAgentsHandler } from './application/list-agents/list-agents.handler.js';
import { ListLabelsHandler } from './application/list-labels/list-labels.handler.js';
import { ListModelsHandler } from './application/list-models/list-models.handler.js';
import { ListVersionsHandler } from './application/list-versions/list-versions.handler.js';
import { RestoreVersionHandler } from './application/restore-version/restore-version.handler.js';
import { SetLabelHandler } from './application/set-label/set-label.handler.js';
import { UpdateAgentHandler } from './application/update-agent/update-agent.handler.js';
import { AgentRepository } from './domain/agent.repository.js';
import { TypeOrmAgentQueries } from './infrastructure/typeorm-agent.queries.js';
import { TypeOrmAgentRepository } from './infrastructure/typeorm-agent.repository.js';
import { AgentLabelsController } from './interface/http/agent-labels.controller.js';
import { AgentVersionsController } from './interface/http/agent-versions.controller.js';
import { AgentsController } from './interface/http/agents.controller.js';

@Module({
  imports: [WorkspacesModule, IdempotencyModule],
  controllers: [AgentsController, AgentVersionsController, AgentLabelsController],
  providers: [
    CreateAgentHandler,
    UpdateAgentHandler,
    DeleteAgentHandler,
    RestoreVersionHandler,
    GetAgentHandler,
    ListAgentsHandler,
    ListModelsHandler,
    ListVersionsHandler,
    GetVersionHandler,
    DiffVersionsHandler,
    SetLabelHandler,
    DeleteLabelHandler,
    ListLabelsHandler,
    { provide: AgentRepository, useClass: TypeOrmAgentRepository },
    { provide: AgentQueries, useClass: TypeOrmAgentQueries },
  ],
})
export class AgentsModule {}
