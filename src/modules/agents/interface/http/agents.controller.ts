import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Caller as CallerType } from '../../../../shared/domain/caller.js';
import { ApiErrorResponses } from '../../../../shared/http/api-error-responses.decorator.js';
import { ValidBody } from '../../../../shared/http/valid-body.pipe.js';
import { Auth, Caller } from '../../../auth/auth.decorators.js';
import { CreateAgentCommand } from '../../application/create-agent/create-agent.command.js';
import { ListModelsQuery } from '../../application/list-models/list-models.query.js';
import { agentViolations } from '../../domain/agent-rules.js';
import { AgentEnvelope, toAgentView } from './agent.response.js';
import { toNewAgent } from './create-agent.mapper.js';
import { CreateAgentRequest } from './create-agent.request.js';
import { ModelsResponse } from './models.response.js';

const createAgentBody = new ValidBody(CreateAgentRequest, {
  alsoCheck: (wellShaped) =>
    agentViolations(toNewAgent(wellShaped)).map((v) => ({ loc: ['body', ...v.path], msg: v.message, type: v.code })),
});

@ApiTags('Agents')
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Auth('agents:write')
  @ApiOperation({ summary: 'Create an agent', operationId: 'createAgent' })
  @ApiBody({ type: CreateAgentRequest })
  @ApiCreatedResponse({
    description: 'The agent was created',
    type: AgentEnvelope,
    headers: { Location: { description: 'URL of the new agent', schema: { type: 'string', example: '/v1/agents/support-bot' } } },
  })
  @ApiErrorResponses(400, 409, 413, 415, 422)
  async create(
    @Body(createAgentBody) body: CreateAgentRequest,
    @Caller() caller: CallerType,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentEnvelope> {
    const agent = await this.commands.execute(new CreateAgentCommand(toNewAgent(body), caller));
    void reply.header('location', `/v1/agents/${encodeURIComponent(agent.id)}`);
    return { agent: toAgentView(agent) };
  }

  @Get('models')
  @Auth('agents:read')
  @ApiOperation({ summary: "List the models the caller's workspace can see", operationId: 'listModels' })
  @ApiOkResponse({ type: ModelsResponse })
  models(@Caller() caller: CallerType): Promise<ModelsResponse> {
    return this.queries.execute(new ListModelsQuery(caller)) as Promise<ModelsResponse>;
  }
}
