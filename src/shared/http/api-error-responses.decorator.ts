import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';
import { ErrorBody, HTTPValidationError } from './error-body.js';

type Headers = NonNullable<ApiResponseOptions['headers']>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'The body is not valid JSON (code malformed_json)',
  404: 'No such resource in the caller\'s project',
  409: 'Conflicts with the current state',
  412: 'If-Match names an ETag the agent no longer has (code precondition_failed)',
  410: 'The cursor is older than the events kept (code cursor_expired): read the feed again from its start, without `after`',
  413: 'The body is larger than 1 MiB (code body_too_large)',
  415: 'The body is not application/json (code unsupported_media_type)',
  429:
    'Too many requests for this API key in the current minute (code rate_limited): retry after Retry-After seconds. ' +
    'The RateLimit-* headers come with every other answer the limit counted too',
  500: 'An unexpected error, which is a bug: the body names the incident it is logged under (code internal_error), never its cause',
};

const COUNT = { type: 'integer', format: 'int32', minimum: 0 } as const;

const HEADERS: Record<number, Headers> = {
  429: {
    'Retry-After': { required: true, description: 'Seconds until the key may call again', schema: { ...COUNT, minimum: 1 } },
    'RateLimit-Limit': { required: true, description: 'Requests per minute a key may make (RATE_LIMIT_PER_MINUTE)', schema: { ...COUNT, minimum: 1 } },
    'RateLimit-Remaining': { required: true, description: 'Requests left in the current window', schema: COUNT },
    'RateLimit-Reset': { required: true, description: 'Seconds until the current window ends', schema: { ...COUNT, minimum: 1 } },
    'RateLimit-Policy': { required: true, description: 'The limit and its window in seconds (IETF draft)', schema: { type: 'string', example: '1200;w=60' } },
  },
};

/** Documents the error answers a route can give, with the contract's bodies. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      status === 422
        ? ApiResponse({ status, description: 'Validation error: every problem of the request', type: HTTPValidationError })
        : ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorBody, headers: HEADERS[status] }),
    ),
  );
}
