import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Environment } from '../../../config/environment.js';
import type { Caller as CallerType } from '../../../shared/domain/caller.js';
import { ApiErrorResponses } from '../../../shared/http/api-error-responses.decorator.js';
import { Auth, Caller } from '../../auth/auth.decorators.js';
import { CursorExpiredError } from '../events.errors.js';
import { EventLog } from '../event-log.js';
import { START } from '../event-position.js';
import { cloudEventJson, EVENT_TYPES } from '../stored-event.js';
import { EventListResponse } from './event.response.js';
import { FEED_LIMIT, parseFeedQuery } from './events-query.js';

export const POSITION_QUERY = { type: 'string', pattern: '^[0-9]{1,18}$', maxLength: 18, example: '000000000000012345' } as const;
export const FILTER_QUERIES = [
  ApiQuery({ name: 'type', required: false, schema: { type: 'string', enum: [...EVENT_TYPES], maxLength: 13 }, description: 'Only events of this type' }),
  ApiQuery({ name: 'subject', required: false, schema: { type: 'string', maxLength: 64, example: 'support-bot' }, description: 'Only the events of this agent (its id)' }),
];

@ApiTags('Events')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly log: EventLog,
    private readonly environment: Environment,
  ) {}

  @Get()
  @Auth('agents:read')
  @ApiOperation({
    summary: "Read the project's agent events, oldest first, a page at a time",
    description:
      "The project's log of agent changes (agent.created, agent.updated, agent.deleted) as CloudEvents 1.0, in position order. " +
      'Pass `next_cursor` as `after` to read on; a reader that does so never misses an event and never sees one twice, even while ' +
      'changes commit concurrently (an event is served only once every event before it is). Omit `after` to read from the start ' +
      `of what is kept: events are kept EVENTS_RETENTION_DAYS days (default 7), and an \`after\` older than that is a 410 (cursor_expired). ` +
      `\`limit\` 1 to ${FEED_LIMIT.max} (default ${FEED_LIMIT.default}).`,
    operationId: 'listEvents',
  })
  @ApiQuery({ name: 'after', required: false, schema: POSITION_QUERY, description: 'A position, or next_cursor of the previous page: only events after it' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', format: 'int32', minimum: 1, maximum: FEED_LIMIT.max, default: FEED_LIMIT.default }, description: 'Events per page' })
  @(FILTER_QUERIES[0]!)
  @(FILTER_QUERIES[1]!)
  @ApiOkResponse({ type: EventListResponse })
  @ApiErrorResponses(410, 422, 429, 500)
  async list(@Query() query: Record<string, unknown>, @Caller() caller: CallerType, @Res() reply: FastifyReply): Promise<void> {
    const { after, limit, filter } = parseFeedQuery(query);
    const page = await this.log.page(caller.projectId, after ?? START, limit + 1, filter);
    if (after !== undefined && page.expiredThrough !== null && after < page.expiredThrough) {
      throw new CursorExpiredError(after, this.environment.events.retentionDays);
    }
    const events = page.events.slice(0, limit);
    const nextCursor = events.at(-1)?.position ?? after ?? null;
    // The events are JSON text already (cloudEventJson): the page is spliced, not serialised again.
    const body =
      `{"object":"list","data":[${events.map(cloudEventJson).join(',')}],` +
      `"has_more":${page.events.length > limit},"next_cursor":${nextCursor === null ? 'null' : `"${nextCursor}"`}}`;
    void reply.status(200).type('application/json; charset=utf-8').send(body);
  }
}
