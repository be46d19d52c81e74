import { setTimeout as sleep } from 'node:timers/promises';

/** One Server-Sent Events message (comments, such as the `: keep-alive` heartbeats, are not messages). */
export interface SseMessage {
  /** The `id:` field (an event's position), or undefined when the message had none. */
  readonly id: string | undefined;
  /** The `event:` field; `message` when absent, as the SSE standard says. */
  readonly event: string;
  /** The `data:` lines, joined by "\n". */
  readonly data: string;
}

/**
 * Splits a text/event-stream body into messages, as the WHATWG "event stream interpretation"
 * does: lines end with CRLF, LF or CR; a blank line ends a message; `:` starts a comment;
 * a message without data is dropped. `onBytes` is told whenever bytes arrive (heartbeats too).
 */
export async function* sseMessages(body: AsyncIterable<Uint8Array>, onBytes: () => void = () => {}): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  let hasData = false;
  for await (const chunk of body) {
    onBytes();
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const end = lineEnd(buffer, start);
      if (end === -1) break;
      const line = buffer.slice(start, end);
      // A CR at the very end may be the first half of a CRLF still to come: wait for more.
      if (buffer[end] === '\r' && end + 1 === buffer.length) break;
      start = end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1);
      if (line === '') {
        if (hasData) yield { id, event: event || 'message', data: data.join('\n') };
        event = '';
        data = [];
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') {
        data.push(value);
        hasData = true;
      } else if (field === 'event') {
        event = value;
      } else if (field === 'id' && !value.includes('\0')) {
        id = value;
      }
      // `retry:` and unknown fields: ignored (the reader has its own backoff).
    }
    buffer = buffer.slice(start);
  }
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** The service refused the stream with an answer that retrying will not change (a 4xx). */
export class StreamRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | undefined,
  ) {
    super(detail);
  }
}

export interface FollowOptions {
  /** The service's base URL, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  readonly key: string;
  /** Start after this position (else only new events). */
  readonly after?: string;
  readonly type?: string;
  readonly subject?: string;
  /** Aborting it ends the follow: follow() then resolves. */
  readonly signal: AbortSignal;
  /** Each event message, once, in position order. */
  onMessage(message: SseMessage): void;
  /** The connection was lost or refused for a while: it retries in `delayMs`. */
  onRetry?(reason: string, delayMs: number): void;
  /** Reconnection delays: the first, the ceiling (doubled in between, with jitter). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** No byte for this long (the service sends a comment every 15 s) is a dead connection. */
  readonly idleTimeoutMs?: number;
}

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 };
const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
/** Answers worth retrying: the service is busy, restarting or behind a proxy that is. */
const RETRIED_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Follows GET /v1/events/stream forever: on a lost connection (or a 5xx, a 429) it reconnects
 * with backoff and resumes with `Last-Event-ID` after the last event it delivered, so none is
 * missed and none delivered twice. Resolves when `signal` aborts; rejects with
 * StreamRefusedError on an answer retrying cannot fix (401, 403, 410 cursor_expired, 422, …).
 */
export async function followEventStream(options: FollowOptions): Promise<void> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let lastId = options.after;
  let failures = 0;
  while (!options.signal.aborted) {
    let reason: string;
    let retryAfterMs = 0;
    const connection = new AbortController();
    const abort = () => connection.abort();
    options.signal.addEventListener('abort', abort, { once: true });
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(new Error(`no data for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
    };
    try {
      touch();
      const response = await fetch(streamUrl(options), {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${options.key}`,
          ...(lastId !== undefined ? { 'last-event-id': lastId } : {}),
        },
        signal: connection.signal,
      });
      if (response.status !== 200 || !response.body) {
        const detail = await errorDetail(response);
        if (!RETRIED_STATUSES.has(response.status)) throw new StreamRefusedError(response.status, detail.detail, detail.code);
        reason = `HTTP ${response.status}: ${detail.detail}`;
        retryAfterMs = retryAfter(response.headers.get('retry-after'));
      } else {
        failures = 0;
        for await (const message of sseMessages(response.body, touch)) {
          if (message.id !== undefined && lastId !== undefined && !isAfter(message.id, lastId)) continue; // a repeat
          if (message.id !== undefined) lastId = message.id;
          options.onMessage(message);
        }
        reason = 'the service closed the stream';
      }
    } catch (error) {
      if (error instanceof StreamRefusedError) throw error;
      if (options.signal.aborted) break;
      reason = connection.signal.aborted ? describe(connection.signal.reason) : describe(error);
    } finally {
      clearTimeout(idle);
      options.signal.removeEventListener('abort', abort);
      connection.abort();
    }
    if (options.signal.aborted) break;
    const exponential = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
    const delayMs = Math.max(retryAfterMs, Math.round(exponential / 2 + Math.random() * (exponential / 2)));
    failures += 1;
    options.onRetry?.(reason, delayMs);
    try {
      await sleep(delayMs, undefined, { signal: options.signal });
    } catch {
      break; // aborted while waiting
    }
  }
}

function streamUrl(options: FollowOptions): URL {
  const url = new URL('v1/events/stream', options.url.endsWith('/') ? options.url : `${options.url}/`);
  if (options.type !== undefined) url.searchParams.set('type', options.type);
  if (options.subject !== undefined) url.searchParams.set('subject', options.subject);
  return url;
}

/** Positions compare as numbers (the service pads them to 18 digits; a client may not). */
function isAfter(id: string, lastId: string): boolean {
  if (!/^\d+$/.test(id) || !/^\d+$/.test(lastId)) return id !== lastId;
  return BigInt(id) > BigInt(lastId);
}

/** An error answer's human message: `detail` (a 422's entries joined), else the status. */
async function errorDetail(response: Response): Promise<{ detail: string; code: string | undefined }> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { detail: text.trim().slice(0, 500) || `${response.status} ${response.statusText}`, code: undefined };
  }
  const { detail, code, message } = (body ?? {}) as { detail?: unknown; code?: unknown; message?: unknown };
  const codeText = typeof code === 'string' ? code : undefined;
  if (typeof detail === 'string') return { detail, code: codeText };
  if (Array.isArray(detail)) {
    const problems = detail.map((entry: { loc?: unknown[]; msg?: unknown }) =>
      [Array.isArray(entry?.loc) ? entry.loc.join('.') : undefined, typeof entry?.msg === 'string' ? entry.msg : JSON.stringify(entry)]
        .filter(Boolean)
        .join(': '),
    );
    return { detail: problems.join('; '), code: codeText };
  }
  return { detail: typeof message === 'string' ? message : `${response.status} ${response.statusText}`, code: codeText };
}

function retryAfter(header: string | null): number {
  if (header === null) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 300) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, Math.min(date - Date.now(), 300_000));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    // fetch's "fetch failed" says little: its cause (ECONNREFUSED, a reset) says what happened.
    if (cause instanceof Error) return `${error.message}: ${describe(cause)}`;
    if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
    return error.message || error.name;
  }
  return String(error);
}
