import type { Tally } from './tally.js';

export interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** The body exactly as sent (raw JSON text, so that odd keys and escapes survive). */
  body?: string | Buffer;
}

export interface Received {
  /** null: no HTTP answer (connection refused or reset, or the client timed out). */
  readonly status: number | null;
  readonly headers: Headers | null;
  /** The parsed JSON body, else its text. */
  readonly body: any;
  readonly error?: string;
  readonly timedOut: boolean;
  readonly ms: number;
}

/** One request, counted in the tally, with a client-side timeout: a hang is an answer too. */
export async function send(tally: Tally, baseUrl: string, request: Sent, timeoutMs = 15_000): Promise<Received> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    tally.record(response.status);
    return { status: response.status, headers: response.headers, body, timedOut: false, ms: performance.now() - started };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    // Anything but "no answer" (fetch's own "fetch failed", or our timeout) is a request the
    // client refused to build: a bug of the test, not an answer of the service.
    if (!timedOut && (error as Error).message !== 'fetch failed') throw error;
    tally.record(null, timedOut);
    return { status: null, headers: null, body: null, error: describe(error), timedOut, ms: performance.now() - started };
  }
}

/** fetch's "fetch failed" with the reason underneath (ECONNREFUSED, ECONNRESET, ...). */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return [(error as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
}

/** A request with a JSON body (none when `body` is undefined) and the key as a bearer token. */
export function jsonRequest(method: string, path: string, token: string | undefined, body: unknown, headers: Record<string, string> = {}): Sent {
  return {
    method,
    path,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`, or undefined after `ms` (the timer is cleared either way, so it keeps Jest waiting for nothing). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
