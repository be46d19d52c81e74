import type { Problem } from '../../../shared/http/request-validation.error.js';
import { formatPosition, POSITION_PATTERN } from '../event-position.js';

export type LastEventId = { readonly position: string | undefined } | { readonly problem: Problem };

/** The Last-Event-ID header a reconnecting client sends: the position of the last event it received. */
export function readLastEventId(header: string | string[] | undefined): LastEventId {
  if (header === undefined) return { position: undefined };
  if (typeof header === 'string' && POSITION_PATTERN.test(header)) return { position: formatPosition(header) };
  return {
    problem: {
      loc: ['header', 'last-event-id'],
      msg: 'Last-Event-ID must be the id of an event this stream sent (a position, up to 18 digits)',
      type: 'invalid_cursor',
    },
  };
}
