import { cloudEventJson, type StoredEvent } from '../stored-event.js';

/** The headers of a live stream: no cache and no proxy buffering, or events would arrive in bursts. */
export const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

/** A comment line: readers ignore it, proxies see traffic and keep the connection open. */
export const KEEP_ALIVE = ': keep-alive\n\n';

// One read of the log serves every open stream: each event's message is made once, for all of them.
const messages = new WeakMap<StoredEvent, string>();

/** One event as one SSE message; the CloudEvent JSON is one line (JSON text has no raw newline). */
export function eventMessage(event: StoredEvent): string {
  let message = messages.get(event);
  if (message === undefined) {
    message = `id: ${event.position}\nevent: ${event.type}\ndata: ${cloudEventJson(event)}\n\n`;
    messages.set(event, message);
  }
  return message;
}
