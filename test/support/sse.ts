import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Tenant } from './tenants.js';

/** One SSE message as a client reads it. */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/** An open GET of a text/event-stream (or the error it was answered with), read as it arrives. */
export interface SseStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly messages: SseMessage[];
  /** The text of each comment line (`: keep-alive` gives "keep-alive"). */
  readonly comments: string[];
  /** The whole body so far, as text (an error answer's JSON). */
  readonly text: () => string;
  /** Resolves when the response ends: `end` when the server ended it cleanly, `aborted` when the connection was cut. */
  readonly ended: Promise<'end' | 'aborted'>;
  /** Resolves once `count` messages have arrived (all of them); rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  /** Stops reading from the socket (the server's writes pile up), until resume(). */
  pause(): void;
  resume(): void;
  close(): void;
}

/** Opens `path` as an event stream with the tenant's key; resolves once the answer's headers have arrived. */
export function openStream(baseUrl: string, path: string, options: { tenant?: Tenant; headers?: Record<string, string> } = {}): Promise<SseStream> {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...(options.headers ?? {}) };
  if (options.tenant) headers.authorization = `Bearer ${options.tenant.token}`;
  return new Promise((resolve, reject) => {
    const outgoing = request(`${baseUrl}${path}`, { headers, agent: false }, (response) => resolve(readStream(response, () => outgoing.destroy())));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function readStream(response: IncomingMessage, destroy: () => void): SseStream {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let body = '';
  let pending = '';
  let waiters: (() => void)[] = [];
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    body += chunk;
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      parseBlock(pending.slice(0, end), messages, comments);
      pending = pending.slice(end + 2);
    }
    waiters.forEach((wake) => wake());
  });
  const ended = new Promise<'end' | 'aborted'>((resolve) => {
    response.on('end', () => resolve(response.complete ? 'end' : 'aborted'));
    response.on('aborted', () => resolve('aborted'));
    response.on('error', () => resolve('aborted'));
    response.on('close', () => resolve(response.complete ? 'end' : 'aborted'));
  });
  void ended.then(() => waiters.forEach((wake) => wake()));
  let done = false;
  void ended.then(() => (done = true));
  return {
    status: response.statusCode!,
    headers: response.headers,
    messages,
    comments,
    text: () => body,
    ended,
    waitForMessages(count, timeoutMs = 3_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length >= count) {
            finish();
            resolve(messages.slice(0, count));
          } else if (done) {
            finish();
            reject(new Error(`the stream ended after ${messages.length} of ${count} messages`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${messages.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== check);
        };
        waiters.push(check);
        check();
      });
    },
    pause: () => response.pause(),
    resume: () => response.resume(),
    close: destroy,
  };
}

function parseBlock(block: string, messages: SseMessage[], comments: string[]): void {
  let id: string | undefined;
  let event: string | undefined;
  const data: string[] = [];
  let isMessage = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    isMessage = true;
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (isMessage) messages.push({ id, event, data: data.join('\n') });
}
