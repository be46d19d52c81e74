import type { components } from './generated/openapi.js';

export type ErrorBody = components['schemas']['ErrorBody'];
export type ValidationProblem = components['schemas']['ValidationProblem'];
export type HTTPValidationError = components['schemas']['HTTPValidationError'];

/**
 * Any answer of the service that is not a success: its status, and the contract's stable `code` and
 * human `detail` (`{detail, code}`). A body that is not the service's (a proxy's 502 page) gives
 * `code: "unexpected_response"` and the start of the body as `detail`.
 */
export class AgentsApiError extends Error {
  override readonly name: string = 'AgentsApiError';
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** Seconds to wait before retrying (`Retry-After` of a 429 or a 503), else null. */
  readonly retryAfter: number | null;
  /** The parsed body as the service sent it (or its text). */
  readonly body: unknown;

  constructor(init: { status: number; code: string; detail: string; retryAfter?: number | null; body?: unknown; request?: string }) {
    super(`${init.request ? `${init.request}: ` : ''}${init.status} ${init.code}: ${init.detail}`);
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.retryAfter = init.retryAfter ?? null;
    this.body = init.body;
  }
}

/** A 422: every problem of the request at once, each `{ loc, msg, type }` (`loc` as `["body", "name"]`). */
export class ValidationError extends AgentsApiError {
  override readonly name: string = 'ValidationError';
  readonly problems: readonly ValidationProblem[];

  constructor(init: { body: HTTPValidationError; request?: string }) {
    super({ status: 422, code: init.body.code, detail: init.body.message, body: init.body, ...(init.request ? { request: init.request } : {}) });
    this.problems = init.body.detail;
  }
}

/** The typed error of a non-2xx answer (reads the body). */
export async function errorFromResponse(response: Response, request?: Request): Promise<AgentsApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const label = request ? `${request.method} ${new URL(request.url).pathname}` : undefined;
  const where = label ? { request: label } : {};
  if (response.status === 422 && isValidationBody(body)) return new ValidationError({ body, ...where });
  const retryAfter = seconds(response.headers.get('Retry-After'));
  if (isErrorBody(body)) return new AgentsApiError({ status: response.status, code: body.code, detail: body.detail, retryAfter, body, ...where });
  const detail = `${response.statusText || 'no reason phrase'}${text ? ` (${text.slice(0, 200)})` : ''}`;
  return new AgentsApiError({ status: response.status, code: 'unexpected_response', detail, retryAfter, body, ...where });
}

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ErrorBody).detail === 'string' && typeof (body as ErrorBody).code === 'string';
}

function isValidationBody(body: unknown): body is HTTPValidationError {
  return typeof body === 'object' && body !== null && Array.isArray((body as HTTPValidationError).detail);
}

function seconds(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}
