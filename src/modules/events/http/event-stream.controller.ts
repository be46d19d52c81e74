import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Environment } from '../../../config/environment.js';
import type { Caller as CallerType } from '../../../shared/domain/caller.js';
import { ApiErrorResponses } from '../../../shared/http/api-error-responses.decorator.js';
import { RequestValidationError } from '../../../shared/http/request-validation.error.js';
import { Auth, Caller } from '../../auth/auth.decorators.js';
import { EventLog, type EventFilter } from '../event-log.js';
import { CursorExpiredError } from '../events.errors.js';
import { readLastEventId } from '../stream/last-event-id.js';
import { OpenStreams } from '../stream/open-streams.js';
import { parseStreamQuery } from './events-query.js';
import { FILTER_QUERIES, POSITION_QUERY } from './events.controller.js';

const MESSAGE_FORMAT =
  'One SSE message per event, oldest first:\n\n' +
  '```\nid: <the event\'s position>\nevent: <agent.created | agent.updated | agent.deleted>\ndata: <the event as CloudEvents 1.0 JSON, on one line, as GET /v1/events returns it>\n\n```\n\n' +
  'and a comment line (`: keep-alive`) every EVENTS_HEARTBEAT_SECONDS (default 15). The stream ends when the service stops ' +
  '(or when the client stops reading for a few seconds): reconnect with the last `id` received as Last-Event-ID.';

// Positions as after and Last-Event-ID accept them (POSITION_PATTERN).
const POSITION = { ...POSITION_QUERY, maxLength: 18 } as const;

const EXAMPLE =
  'id: 000000000000012345\nevent: agent.updated\n' +
  'data: {"specversion":"1.0","id":"evt_Qb7x2LmN0pR4sT6vW8yZ1A","source":"/v1/agents","type":"agent.updated","subject":"support-bot",…,"position":"000000000000012345","data":{…}}\n\n' +
  ': keep-alive\n\n';

@ApiTags('Events')
@Controller('v1/events')
export class EventStreamController {
  constructor(
    private readonly log: EventLog,
    private readonly streams: OpenStreams,
    private readonly environment: Environment,
  ) {}

  @Get('stream')
  @Auth('agents:read')
  @ApiOperation({
    summary: "Follow the project's agent events live (Server-Sent Events)",
    description:
      "The project's agent events as they commit, each within a second, as Server-Sent Events. It starts after the " +
      'Last-Event-ID header (a reconnecting EventSource sends it), else after `after`; with neither, it sends only the events ' +
      'committed from now on. From a position it first sends what the log holds after it, then follows on, without a gap or a ' +
      'duplicate. A start older than the events kept is a 410 (cursor_expired), answered before the stream starts.',
    operationId: 'streamEvents',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, schema: POSITION, description: 'The id of the last message received: the stream resumes after it (wins over after)' })
  @ApiQuery({ name: 'after', required: false, schema: POSITION, description: 'A position: only events after it' })
  @(FILTER_QUERIES[0]!)
  @(FILTER_QUERIES[1]!)
  @ApiOkResponse({ description: MESSAGE_FORMAT, content: { 'text/event-stream': { schema: { type: 'string', example: EXAMPLE } } } })
  @ApiErrorResponses(410, 422, 429, 500)
  async stream(
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Caller() caller: CallerType,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { after, filter } = this.parseRequest(query, lastEventIdHeader);
    if (after !== undefined) await this.refuseExpired(caller.projectId, after, filter);
    this.streams.open(reply, caller.projectId, filter, after ?? (await this.log.lastPosition()));
  }

  /** The query and the header, every problem of both in one 422; Last-Event-ID wins over after. */
  private parseRequest(query: Record<string, unknown>, lastEventIdHeader: string | undefined): { after: string | undefined; filter: EventFilter } {
    const lastEventId = readLastEventId(lastEventIdHeader);
    let parsed: ReturnType<typeof parseStreamQuery>;
    try {
      parsed = parseStreamQuery(query);
    } catch (error) {
      if (error instanceof RequestValidationError && 'problem' in lastEventId) throw new RequestValidationError([...error.problems, lastEventId.problem]);
      throw error;
    }
    if ('problem' in lastEventId) throw new RequestValidationError([lastEventId.problem]);
    return { after: lastEventId.position ?? parsed.after, filter: parsed.filter };
  }

  private async refuseExpired(projectId: string, after: string, filter: EventFilter): Promise<void> {
    const { expiredThrough } = await this.log.page(projectId, after, 0, filter);
    if (expiredThrough !== null && after < expiredThrough) throw new CursorExpiredError(after, this.environment.events.retentionDays);
  }
}
