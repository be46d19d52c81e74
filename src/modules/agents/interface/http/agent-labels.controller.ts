import { Body, Controller, Delete, Get, Headers, Param, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller as CallerType } from '../../../../shared/domain/caller.js';
import { ApiErrorResponses } from '../../../../shared/http/api-error-responses.decorator.js';
import { QueryReader } from '../../../../shared/http/query-reader.js';
import { Auth, Caller } from '../../../auth/auth.decorators.js';
import { DeleteLabelCommand } from '../../application/delete-label/delete-label.command.js';
import { ListLabelsQuery } from '../../application/list-labels/list-labels.query.js';
import { SetLabelCommand } from '../../application/set-label/set-label.command.js';
import { AgentLabelEnvelope, AgentLabelListResponse, toLabelList, toLabelView } from './agent-label.response.js';
import { DeletedResponse } from './agent-list.response.js';
import { parseIfMatch } from './entity-tag.js';
import { agentIdParam, ApiAgentIdParam, ApiLabelParam, labelParam } from './path-params.js';
import { parseSetLabel, SetLabelRequest } from './set-label.request.js';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: "The agent's ETag the change is based on: 412 when the agent has changed since (a label move does not change it)",
  schema: { type: 'string', maxLength: 1024 },
} as const;

@ApiTags('Versions')
@Controller('v1/agents/:id/labels')
export class AgentLabelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Auth('agents:read')
  @ApiOperation({
    summary: "List an agent's labels",
    description:
      'The labels set on the agent, by name, each with the version it names. `latest` is implicit (always the current ' +
      'version) and not listed. The endpoint takes no query parameter: any is a 422.',
    operationId: 'listAgentLabels',
  })
  @ApiAgentIdParam
  @ApiOkResponse({ type: AgentLabelListResponse })
  @ApiErrorResponses(404, 422, 429, 500)
  async list(@Param('id') id: string, @Query() query: Record<string, unknown>, @Caller() caller: CallerType): Promise<AgentLabelListResponse> {
    const agentId = agentIdParam(id);
    new QueryReader(query).finish();
    return toLabelList(await this.queries.execute(new ListLabelsQuery(agentId, caller)));
  }

  @Put(':label')
  @Auth('agents:write')
  @ApiOperation({
    summary: 'Point a label at a version (create or move it)',
    description:
      'Creates the label or moves it to `version`, which the agent must have (else 404 version_not_found). Concurrent moves ' +
      'of one label queue: the last one wins. A move is an agent.updated event with cause label; naming the version the label ' +
      "already has changes nothing (200, no event). The agent's own ETag does not change. `latest` cannot be set (422).",
    operationId: 'setAgentLabel',
  })
  @ApiAgentIdParam
  @ApiLabelParam
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: SetLabelRequest })
  @ApiOkResponse({ type: AgentLabelEnvelope })
  @ApiErrorResponses(400, 404, 412, 413, 415, 422, 429, 500)
  async set(
    @Param('id') id: string,
    @Param('label') label: string,
    @Body() raw: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Caller() caller: CallerType,
  ): Promise<AgentLabelEnvelope> {
    const agentId = agentIdParam(id);
    const { name, version } = parseSetLabel(label, raw);
    const set = await this.commands.execute(new SetLabelCommand(agentId, name, version, parseIfMatch(ifMatch), caller));
    return { label: toLabelView(set) };
  }

  @Delete(':label')
  @Auth('agents:write')
  @ApiOperation({
    summary: 'Delete a label',
    description:
      'Deletes the label (404 label_not_found when the agent has none of that name), as an agent.updated event with cause ' +
      "label and `data.label.version` null. The agent's own ETag does not change. `latest` cannot be deleted (422).",
    operationId: 'deleteAgentLabel',
  })
  @ApiAgentIdParam
  @ApiLabelParam
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: DeletedResponse })
  @ApiErrorResponses(404, 412, 422, 429, 500)
  async remove(
    @Param('id') id: string,
    @Param('label') label: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Caller() caller: CallerType,
  ): Promise<DeletedResponse> {
    const agentId = agentIdParam(id);
    await this.commands.execute(new DeleteLabelCommand(agentId, labelParam(label), parseIfMatch(ifMatch), caller));
    return { deleted: true };
  }
}
