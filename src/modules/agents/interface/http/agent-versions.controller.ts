import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller as CallerType } from '../../../../shared/domain/caller.js';
import { ApiErrorResponses } from '../../../../shared/http/api-error-responses.decorator.js';
import { ValidBody } from '../../../../shared/http/valid-body.pipe.js';
import { Auth, Caller } from '../../../auth/auth.decorators.js';
import { IdempotentResponder } from '../../../idempotency/idempotent-responder.js';
import { ApiIdempotencyKey } from './api-idempotency-key.decorator.js';
import { DiffVersionsQuery } from '../../application/diff-versions/diff-versions.query.js';
import { GetVersionQuery } from '../../application/get-version/get-version.query.js';
import { ListVersionsQuery } from '../../application/list-versions/list-versions.query.js';
import { RestoreVersionCommand } from '../../application/restore-version/restore-version.command.js';
import {
  AgentVersionEnvelope, AgentVersionListResponse, toVersionDiffResponse, toVersionList, toVersionView, VersionDiffResponse,
} from './agent-version.response.js';
import { AgentEnvelope, toAgentView } from './agent.response.js';
import { etagOf, noneMatchHits, representationTag } from './entity-tag.js';
import { MAX_TEXT, PAGE_LIMIT, parseListVersionsQuery } from './list-query.js';
import { agentIdParam, ApiAgentIdParam, ApiVersionOrLabelParam, ApiVersionParam, versionParam, versionRefParams } from './path-params.js';
import { RestoreVersionRequest } from './restore-version.request.js';

const restoreBody = new ValidBody(RestoreVersionRequest);

/** A version never changes; what a label or latest names does, so its answer is checked again every time. */
const CACHE_CONTROL = { version: 'private, max-age=31536000, immutable', moving: 'no-cache' } as const;
const VERSION_HEADERS = {
  ETag: { description: 'Strong entity tag of the version (a label answers with the tag of the version it names)', schema: { type: 'string', example: '"Xq3v0c2yJ4kT9bQ8mWn1aLpR7sE"' } },
  'Cache-Control': { description: `\`${CACHE_CONTROL.version}\` for a version, \`${CACHE_CONTROL.moving}\` for a label or latest`, schema: { type: 'string', example: CACHE_CONTROL.version } },
};

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
    summary: 'Get one version of an agent, by its version, a label or latest',
    description:
      'One immutable version of the agent, with the configuration it recorded and who made it. The segment is a semantic ' +
      'version, a label name (the version the label names now) or `latest` (the current version); the answer\'s `version` ' +
      'says which version it resolved to. A version is immutable: its answer has a strong ETag and `Cache-Control: ' +
      `${CACHE_CONTROL.version}\`. A label's or latest's answer has \`Cache-Control: ${CACHE_CONTROL.moving}\` (its target moves), ` +
      'the ETag of the version it resolved to, and that version\'s URL as Content-Location. If-None-Match naming that ETag ' +
      'is a 304. A version the agent never had is a 404 (version_not_found), a label it does not have a 404 ' +
      '(label_not_found), a segment that is neither a 422.',
    operationId: 'getAgentVersion',
  })
  @ApiAgentIdParam
  @ApiVersionOrLabelParam('version', 'The version')
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag of a version: 304 when the answer would be that version', schema: { type: 'string', maxLength: 1024 } })
  @ApiOkResponse({ type: AgentVersionEnvelope, headers: VERSION_HEADERS })
  @ApiResponse({ status: 304, description: 'The answer is the version of the ETag in If-None-Match', headers: VERSION_HEADERS })
  @ApiErrorResponses(404, 422, 429, 500)
  async get(
    @Param('id') id: string,
    @Param('version') version: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Caller() caller: CallerType,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const agentId = agentIdParam(id);
    const { version: ref } = versionRefParams({ version });
    const view = toVersionView(await this.queries.execute(new GetVersionQuery(agentId, ref, caller)));
    const entityTag = representationTag(view);
    void reply.header('etag', `"${entityTag}"`).header('cache-control', ref.kind === 'version' ? CACHE_CONTROL.version : CACHE_CONTROL.moving);
    if (ref.kind !== 'version') {
      void reply.header('content-location', `/v1/agents/${encodeURIComponent(agentId)}/versions/${encodeURIComponent(view.version)}`);
    }
    if (noneMatchHits(ifNoneMatch, entityTag)) void reply.status(304).send();
    else void reply.status(200).send({ version: view });
  }

  @Get(':from/diff/:to')
  @Auth('agents:read')
  @ApiOperation({
    summary: 'Compare two versions of an agent',
    description:
      'The RFC 6902 JSON Patch operations that turn the configuration of `from` into that of `to`, each a version, a label ' +
      'or latest; `from` and `to` in the answer are the versions they resolved to. The same version twice gives no change.',
    operationId: 'diffAgentVersions',
  })
  @ApiAgentIdParam
  @ApiVersionOrLabelParam('from', 'The version compared from')
  @ApiVersionOrLabelParam('to', 'The version compared to')
  @ApiOkResponse({ type: VersionDiffResponse })
  @ApiErrorResponses(404, 422, 429, 500)
  async diff(@Param('id') id: string, @Param('from') from: string, @Param('to') to: string, @Caller() caller: CallerType): Promise<VersionDiffResponse> {
    const agentId = agentIdParam(id);
    const refs = versionRefParams({ from, to });
    return toVersionDiffResponse(await this.queries.execute(new DiffVersionsQuery(agentId, refs.from, refs.to, caller)));
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
