import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller as CallerType } from '../../../../shared/domain/caller.js';
import { ApiErrorResponses } from '../../../../shared/http/api-error-responses.decorator.js';
import { bodyProblemOf, RequestValidationError } from '../../../../shared/http/request-validation.error.js';
import { ValidBody } from '../../../../shared/http/valid-body.pipe.js';
import { Auth, Caller } from '../../../auth/auth.decorators.js';
import { IdempotentResponder } from '../../../idempotency/idempotent-responder.js';
import { ApiIdempotencyKey } from './api-idempotency-key.decorator.js';
import { CreateAgentCommand } from '../../application/create-agent/create-agent.command.js';
import { DeleteAgentCommand } from '../../application/delete-agent/delete-agent.command.js';
import { GetAgentQuery } from '../../application/get-agent/get-agent.query.js';
import { ListAgentsQuery } from '../../application/list-agents/list-agents.query.js';
import { ListModelsQuery } from '../../application/list-models/list-models.query.js';
import { UpdateAgentCommand } from '../../application/update-agent/update-agent.command.js';
import { createRequestViolations, patchRequestViolations } from '../../domain/agent-rules.js';
import { AgentListResponse, DeletedResponse, toAgentList } from './agent-list.response.js';
import { AgentEnvelope, toAgentView } from './agent.response.js';
import { toNewAgent } from './create-agent.mapper.js';
import { CREATE_AGENT_EXAMPLE, CreateAgentRequest } from './create-agent.request.js';
import { etagOf, noneMatchHits, parseIfMatch } from './entity-tag.js';
import { MAX_METADATA_FILTERS, MAX_TEXT, PAGE_LIMIT, parseListAgentsQuery } from './list-query.js';
import { ModelsResponse } from './models.response.js';
import { agentIdParam, ApiAgentIdParam } from './path-params.js';
import { UpdateAgentRequest } from './update-agent.request.js';

const createAgentBody = new ValidBody(CreateAgentRequest, {
  alsoCheck: (wellShaped) => createRequestViolations(toNewAgent(wellShaped)).map(bodyProblemOf),
});
const updateAgentBody = new ValidBody(UpdateAgentRequest, {
  alsoCheck: (wellShaped) => patchRequestViolations(wellShaped).map(bodyProblemOf),
});

const ETAG_HEADER = { ETag: { description: 'The agent\'s current entity tag, for If-Match and If-None-Match', schema: { type: 'string', example: '"mhz3k1c0-2"' } } };
const QUERY_TEXT = { type: 'string', maxLength: MAX_TEXT } as const;

@ApiTags('Agents')
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idempotent: IdempotentResponder,
  ) {}

  @Post()
  @HttpCode(201)
  @Auth('agents:write')
  @ApiOperation({
    summary: 'Create an agent',
    description:
      "Creates an agent in the caller's project and records its first version (1.0.0 unless `version` names another). " +
      'Unknown fields are refused, and every rule is checked at once: a 422 lists every problem of the body. ' +
      "A model the workspace's tier does not reach is a 403 (model_locked); an id already used in the project is a 409 " +
      '(agent_id_conflict). Answers 201 with the agent, its Location and its ETag.',
    operationId: 'createAgent',
  })
  @ApiBody({ type: CreateAgentRequest, examples: { 'support-bot': { summary: 'A support agent', value: CREATE_AGENT_EXAMPLE } } })
  @ApiCreatedResponse({
    description: 'The agent was created, with its first version',
    type: AgentEnvelope,
    headers: { Location: { description: 'URL of the new agent', schema: { type: 'string', example: '/v1/agents/support-bot' } }, ...ETAG_HEADER },
  })
  @ApiIdempotencyKey()
  @ApiErrorResponses(400, 409, 413, 415, 422, 429, 500)
  async create(
    @Body(createAgentBody) body: CreateAgentRequest,
    @Caller() caller: CallerType,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.idempotent.send(request, reply, async () => {
      const agent = await this.commands.execute(new CreateAgentCommand(toNewAgent(body), caller));
      const headers = { location: `/v1/agents/${encodeURIComponent(agent.id)}`, etag: etagOf(agent) };
      return { status: 201, headers, body: { agent: toAgentView(agent) } };
    });
  }

  @Get()
  @Auth('agents:read')
  @ApiOperation({
    summary: "List the project's agents, newest first, a page at a time",
    description:
      `Newest first unless \`order=asc\`, \`limit\` agents a page (1 to ${PAGE_LIMIT.max}, default ${PAGE_LIMIT.default}); ` +
      'pass `next_cursor` as `cursor` for the next page. Paging is stable under concurrent inserts: no agent twice, none ' +
      'skipped. The filters combine; `total_count` counts every agent that matches them. An unknown parameter or a cursor ' +
      'this API did not give is a 422.',
    operationId: 'listAgents',
  })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', format: 'int32', minimum: 1, maximum: PAGE_LIMIT.max, default: PAGE_LIMIT.default }, description: 'Agents per page' })
  @ApiQuery({ name: 'cursor', required: false, schema: QUERY_TEXT, description: 'next_cursor of the previous page' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'], description: 'By creation time; default desc (newest first)' })
  @ApiQuery({ name: 'model', required: false, schema: { ...QUERY_TEXT, example: 'claude-sonnet-4-5' }, description: 'Only agents of this model' })
  @ApiQuery({ name: 'isActive', required: false, schema: { type: 'string', enum: ['true', 'false'] } })
  @ApiQuery({ name: 'isDefault', required: false, schema: { type: 'string', enum: ['true', 'false'] } })
  @ApiQuery({ name: 'skill', required: false, schema: { ...QUERY_TEXT, example: 'deep_research' }, description: 'Only agents with this skill enabled' })
  @ApiQuery({ name: 'q', required: false, schema: { ...QUERY_TEXT, example: 'support' }, description: 'Case-insensitive search in the name' })
  @ApiQuery({
    name: 'metadata',
    required: false,
    style: 'deepObject',
    explode: true,
    schema: { type: 'object', maxProperties: MAX_METADATA_FILTERS, additionalProperties: QUERY_TEXT },
    description: 'metadata[key]=value: only agents whose metadata has exactly this top-level string value',
  })
  @ApiOkResponse({ type: AgentListResponse })
  @ApiErrorResponses(422, 429, 500)
  async list(@Query() query: Record<string, unknown>, @Caller() caller: CallerType): Promise<AgentListResponse> {
    const { filter, page } = parseListAgentsQuery(query);
    return toAgentList(await this.queries.execute(new ListAgentsQuery(filter, page, caller)));
  }

  @Get('models')
  @Auth('agents:read')
  @ApiOperation({
    summary: "List the models the caller's workspace can see",
    description:
      'The managed models of the catalog and, in team and enterprise workspaces, the models of the providers the workspace ' +
      'has connected (as `external:{providerType}:{urlEncodedModelId}`), each with the reasoning efforts it supports and its ' +
      "default one. `locked` marks a model the workspace's tier does not reach: an agent on it is a 403 (model_locked).",
    operationId: 'listModels',
  })
  @ApiOkResponse({ type: ModelsResponse })
  @ApiErrorResponses(429, 500)
  models(@Caller() caller: CallerType): Promise<ModelsResponse> {
    return this.queries.execute(new ListModelsQuery(caller)) as Promise<ModelsResponse>;
  }

  @Get(':id')
  @Auth('agents:read')
  @ApiOperation({
    summary: 'Get an agent',
    description:
      "One agent of the caller's project, with its ETag (another project's agent is a 404). " +
      'With If-None-Match naming its current ETag the answer is a 304 without a body.',
    operationId: 'getAgent',
  })
  @ApiAgentIdParam
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag of the agent: 304 when it has not changed' })
  @ApiOkResponse({ type: AgentEnvelope, headers: ETAG_HEADER })
  @ApiResponse({ status: 304, description: 'Not modified since the ETag of If-None-Match', headers: ETAG_HEADER })
  @ApiErrorResponses(404, 429, 500)
  async get(
    @Param('id') id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Caller() caller: CallerType,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const agent = await this.queries.execute(new GetAgentQuery(agentIdParam(id), caller));
    void reply.header('etag', etagOf(agent));
    if (noneMatchHits(ifNoneMatch, agent.entityTag)) void reply.status(304).send();
    else void reply.status(200).send({ agent: toAgentView(agent) });
  }

  @Patch(':id')
  @Auth('agents:write')
  @ApiOperation({
    summary: 'Change an agent (a new version when its configuration changes)',
    description:
      'Merge-patch semantics: an omitted field is kept, null clears an optional one, arrays are replaced whole, and ' +
      '`metadata` and `config` are merged as JSON merge patches (a null value deletes its key). Every rule is checked ' +
      'again on the resulting agent. A change to the configuration records a new version (`version`, or the next patch). ' +
      'The id cannot change; `isDefault` and `isSystem` need an internal key. If-Match with a stale ETag is a 412.',
    operationId: 'updateAgent',
  })
  @ApiAgentIdParam
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the change is based on: 412 when the agent has changed since' })
  @ApiBody({ type: UpdateAgentRequest })
  @ApiOkResponse({ type: AgentEnvelope, headers: ETAG_HEADER })
  @ApiErrorResponses(400, 404, 412, 413, 415, 422, 429, 500)
  async update(
    @Param('id') id: string,
    @Body(updateAgentBody) body: UpdateAgentRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Caller() caller: CallerType,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentEnvelope> {
    const agent = await this.commands.execute(new UpdateAgentCommand(agentIdParam(id), body, parseIfMatch(ifMatch), caller));
    void reply.header('etag', etagOf(agent));
    return { agent: toAgentView(agent) };
  }

  @Delete(':id')
  @Auth('agents:write')
  @ApiOperation({
    summary: 'Delete an agent: soft by default (its id is never reused), or with ?hard=true for good',
    description:
      'Soft by default: the agent disappears from every route (404) and its id is never used again. `hard=true` removes ' +
      'it and its versions. A system agent can be deleted only with an internal key; deleting the default agent leaves ' +
      'the project without one.',
    operationId: 'deleteAgent',
  })
  @ApiAgentIdParam
  @ApiQuery({ name: 'hard', required: false, schema: { type: 'string', enum: ['true', 'false'], default: 'false' }, description: 'Remove the agent and its versions' })
  @ApiOkResponse({ type: DeletedResponse })
  @ApiErrorResponses(404, 422, 429, 500)
  async remove(@Param('id') id: string, @Query('hard') hard: unknown, @Caller() caller: CallerType): Promise<DeletedResponse> {
    await this.commands.execute(new DeleteAgentCommand(agentIdParam(id), parseHard(hard), caller));
    return { deleted: true };
  }
}

function parseHard(value: unknown): 'soft' | 'hard' {
  if (value === undefined || value === 'false') return 'soft';
  if (value === 'true') return 'hard';
  throw new RequestValidationError([{ loc: ['query', 'hard'], msg: 'Input should be true or false', type: 'bool_parsing' }]);
}
