import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller as CallerType } from '../../../../shared/domain/caller.js';
import { ApiErrorResponses } from '../../../../shared/http/api-error-responses.decorator.js';
import { ValidBody } from '../../../../shared/http/valid-body.pipe.js';
import { Auth, Caller } from '../../../auth/auth.decorators.js';
import { IdempotentResponder } from '../../../idempotency/idempotent-responder.js';
import { ApiIdempotencyKey } from './api-idempotency-key.decorator.js';
import { GetVersionQuery } from '../../application/get-version/get-version.query.js';
import { ListVersionsQuery } from '../../application/list-versions/list-versions.query.js';
import { RestoreVersionCommand } from '../../application/restore-version/restore-version.command.js';
import { AgentVersionEnvelope, AgentVersionListResponse, toVersionList, toVersionView } from './agent-version.response.js';
import { AgentEnvelope, toAgentView } from './agent.response.js';
import { etagOf } from './entity-tag.js';
import { MAX_TEXT, PAGE_LIMIT, parseListVersionsQuery } from './list-query.js';
import { agentIdParam, ApiAgentIdParam, ApiVersionParam, versionParam } from './path-params.js';
import { RestoreVersionRequest } from './restore-version.request.js';

const restoreBody = new ValidBody(RestoreVersionRequest);

@ApiTags('Versions')
@Controller('v1/agents/:id/versions')
export class AgentVersionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idempotent: IdempotentResponder,
  ) {}

  @Get()
  @Auth('agents:read')
  @ApiOperation({
    summary: "List an agent's versions, newest first",
    description:
      'The immutable versions of the agent, newest first unless `order=asc`, a page at a time ' +
      `(\`limit\` 1 to ${PAGE_LIMIT.max}, default ${PAGE_LIMIT.default}; pass \`next_cursor\` as \`cursor\`). ` +
      'Creating the agent recorded the first; every change to its configuration ' +
      '(name, description, model, instructions, binary, reasoningEffort, enabledSkills, deepResearchModel, config) and ' +
      'every restore recorded one more.',
    operationId: 'listAgentVersions',
  })
  @ApiAgentIdParam
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', format: 'int32', minimum: 1, maximum: PAGE_LIMIT.max, default: PAGE_LIMIT.default } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', maxLength: MAX_TEXT }, description: 'next_cursor of the previous page' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'], description: 'Default desc (newest first)' })
  @ApiOkResponse({ type: AgentVersionListResponse })
  @ApiErrorResponses(404, 422, 429, 500)
  async list(@Param('id') id: string, @Query() query: Record<string, unknown>, @Caller() caller: CallerType): Promise<AgentVersionListResponse> {
    const page = parseListVersionsQuery(query);
    return toVersionList(await this.queries.execute(new ListVersionsQuery(agentIdParam(id), page, caller)));
  }

  @Get(':version')
  @Auth('agents:read')
  @ApiOperation({
    summary: 'Get one version of an agent',
    description: 'One immutable version of the agent, with the configuration it recorded. A version the agent never had is a 404 (version_not_found).',
    operationId: 'getAgentVersion',
  })
  @ApiAgentIdParam
  @ApiVersionParam
  @ApiOkResponse({ type: AgentVersionEnvelope })
  @ApiErrorResponses(404, 429, 500)
  async get(@Param('id') id: string, @Param('version') version: string, @Caller() caller: CallerType): Promise<AgentVersionEnvelope> {
    const agentId = agentIdParam(id);
    const found = await this.queries.execute(new GetVersionQuery(agentId, versionParam(agentId, version), caller));
    return { version: toVersionView(found) };
  }

  @Post(':version/restore')
  @HttpCode(201)
  @Auth('agents:write')
  @ApiOperation({
    summary: "Make a new version with an earlier version's configuration",
    description:
      'Records a new version whose configuration is that of `version`: named by the body\'s `version` (semver, greater than ' +
      "the current one) or the next patch. The model must still be one the workspace's tier reaches. Answers 201 with the agent " +
      'and the Location of the new version.',
    operationId: 'restoreAgentVersion',
  })
  @ApiAgentIdParam
  @ApiVersionParam
  @ApiBody({ type: RestoreVersionRequest, required: false })
  @ApiCreatedResponse({
    description: 'The agent, now at the new version',
    type: AgentEnvelope,
    headers: { Location: { description: 'URL of the new version', schema: { type: 'string', example: '/v1/agents/support-bot/versions/1.0.3' } } },
  })
  @ApiIdempotencyKey()
  @ApiErrorResponses(400, 404, 413, 415, 422, 429, 500)
  async restore(
    @Param('id') id: string,
    @Param('version') version: string,
    @Body() raw: unknown,
    @Caller() caller: CallerType,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const agentId = agentIdParam(id);
    const restored = versionParam(agentId, version);
    // The body is optional: no body restores under the next patch version.
    const body = raw === undefined || raw === null ? {} : restoreBody.transform(raw);
    await this.idempotent.send(request, reply, async () => {
      const agent = await this.commands.execute(new RestoreVersionCommand(agentId, restored, body.version, caller));
      const headers = {
        location: `/v1/agents/${encodeURIComponent(agent.id)}/versions/${encodeURIComponent(agent.version)}`,
        etag: etagOf(agent),
      };
      return { status: 201, headers, body: { agent: toAgentView(agent) } };
    });
  }
}
