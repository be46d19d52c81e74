import { STATUS_CODES } from 'node:http';
import type { Tenant } from './tenants.js';

export interface HttpAnswer<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** A request to the test service; `body` is sent as JSON unless `raw` is given. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { tenant?: Tenant; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.tenant && !('authorization' in headers)) headers.authorization = `Bearer ${options.tenant.token}`;
  let payload: string | Buffer | undefined = options.raw;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** The valid body of the bench and most tests, with overrides. */
export function agentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'Support bot', model: 'claude-sonnet-4-5', ...overrides };
}

/** An error answer's whole body as the contract gives it (besides a 422): `detail` and `code`, and the ACP SDK's `error` and `message`. */
export function errorBody(status: number, detail: string, code: string): Record<string, string> {
  return { detail, code, error: STATUS_CODES[status]!, message: detail };
}

/** `count` calls of `make(i)`, all sent at once. */
export function inParallel<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => make(i)));
}
