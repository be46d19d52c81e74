import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '../database/pg-errors.js';
import { DomainError, ValidationFailedError } from '../domain/domain-error.js';
import { DatabaseUnavailableError } from '../domain/service-errors.js';
import { CODE_OF_FRAMEWORK_STATUS, ERROR_STATUS } from './error-status.js';
import { bodyProblemOf, RequestValidationError, type Problem } from './request-validation.error.js';

/**
 * The contract's error body. `detail` is what FastAPI-style (Charm) clients read; `error` (the
 * reason phrase) and `message` are what the ACP SDK builds its errors from; `code` is for programs.
 */
export interface ErrorBodyShape {
  readonly detail: string | readonly Problem[];
  readonly code: string;
  readonly error: string;
  readonly message: string;
}

export interface RenderedError {
  readonly status: number;
  readonly body: ErrorBodyShape;
  readonly headers: Record<string, string>;
  /** Set for an unexpected error: the id it is logged under, never shown with its cause. */
  readonly incidentId?: string;
}

/** Any error, as the contract answers it. The one place errors become HTTP. */
export function renderError(thrown: unknown): RenderedError {
  const error = isDatabaseUnavailable(thrown) ? new DatabaseUnavailableError() : thrown;
  if (error instanceof RequestValidationError) return validationFailed(error.problems);
  if (error instanceof ValidationFailedError) return validationFailed(error.violations.map(bodyProblemOf));
  if (error instanceof DomainError) {
    const status = ERROR_STATUS[error.code];
    return { status, body: plainBody(status, error.message, error.code), headers: headersOf(error) };
  }
  const status = frameworkStatus(error);
  if (status !== undefined && status >= 400 && status < 500) {
    const code = CODE_OF_FRAMEWORK_STATUS[status] ?? 'bad_request';
    return { status, body: plainBody(status, frameworkMessage(status, error), code), headers: {} };
  }
  const incidentId = randomUUID();
  return { status: 500, body: plainBody(500, `Internal server error (incident ${incidentId})`, 'internal_error'), headers: {}, incidentId };
}

function plainBody(status: number, detail: string, code: string): ErrorBodyShape {
  return { detail, code, error: STATUS_CODES[status] ?? 'Error', message: detail };
}

function validationFailed(problems: readonly Problem[]): RenderedError {
  return {
    status: 422,
    body: { detail: problems, code: 'validation_failed', error: STATUS_CODES[422]!, message: summaryOf(problems) },
    headers: {},
  };
}

/** One line for the ACP SDK's `message`: the first problem, and how many more there are. */
function summaryOf(problems: readonly Problem[]): string {
  if (problems.length === 0) return 'The request is not valid';
  const [first] = problems;
  const field = first.loc.filter((part, index) => index > 0 || part !== 'body').join('.');
  const more = problems.length - 1;
  const rest = more === 0 ? '' : ` (and ${more} more problem${more === 1 ? '' : 's'})`;
  return `${field ? `${field}: ` : ''}${first.msg}${rest}`;
}

function headersOf(error: DomainError): Record<string, string> {
  if (error.code === 'unauthorized') return { 'www-authenticate': 'Bearer' };
  if ('retryAfterSeconds' in error && typeof error.retryAfterSeconds === 'number') {
    return { 'retry-after': String(error.retryAfterSeconds) };
  }
  return {};
}

function frameworkStatus(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

const MESSAGES: Record<number, string> = {
  400: 'The request body is not valid JSON',
  408: 'The request took too long to arrive',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'The request body is larger than 1 MiB',
  415: 'The request body must be application/json (charset utf-8)',
};

// Fastify's own messages can quote the body or internals; the contract's are fixed.
function frameworkMessage(status: number, error: unknown): string {
  if (MESSAGES[status]) return MESSAGES[status];
  return error instanceof HttpException ? error.message : 'Bad request';
}
