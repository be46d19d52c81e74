import { QueryReader } from '../../../shared/http/query-reader.js';
import { AGENT_ID_PATTERN, LIMITS } from '../../agents/domain/agent-rules.js';
import type { EventFilter } from '../event-log.js';
import { formatPosition, POSITION_PATTERN } from '../event-position.js';
import { EVENT_TYPES, type EventType } from '../stored-event.js';

export const FEED_LIMIT = { default: 100, max: 1_000 } as const;

export interface FeedQuery {
  /** A position; undefined: from the start of what is kept. */
  readonly after: string | undefined;
  readonly limit: number;
  readonly filter: EventFilter;
}

/** GET /v1/events: after, limit, type, subject; every problem a 422 on ["query", name]. */
export function parseFeedQuery(query: Record<string, unknown> = {}): FeedQuery {
  const reader = new QueryReader(query);
  const after = readAfter(reader);
  const limit = reader.limit(FEED_LIMIT);
  const filter = readFilter(reader);
  reader.finish();
  return { after, limit, filter };
}

/** GET /v1/events/stream: after, type, subject (Last-Event-ID, a header, wins over after). */
export function parseStreamQuery(query: Record<string, unknown> = {}): Omit<FeedQuery, 'limit'> {
  const reader = new QueryReader(query);
  const after = readAfter(reader);
  const filter = readFilter(reader);
  reader.finish();
  return { after, filter };
}

function readAfter(reader: QueryReader): string | undefined {
  const after = reader.text('after');
  if (after === undefined) return undefined;
  if (POSITION_PATTERN.test(after)) return formatPosition(after);
  reader.problem('after', 'after must be a position or the next_cursor of a previous page (up to 18 digits)', 'invalid_cursor');
  return undefined;
}

function readFilter(reader: QueryReader): EventFilter {
  const type = reader.text('type');
  const subject = reader.text('subject');
  if (type !== undefined && !(EVENT_TYPES as readonly string[]).includes(type)) {
    reader.problem('type', `type must be one of ${EVENT_TYPES.join(', ')}`, 'enum');
  }
  if (subject !== undefined && (subject.length > LIMITS.idLength || !AGENT_ID_PATTERN.test(subject))) {
    reader.problem('subject', 'subject must be an agent id', 'string_pattern_mismatch');
  }
  return { ...(type !== undefined ? { type: type as EventType } : {}), ...(subject !== undefined ? { subject } : {}) };
}
