import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody, HTTPValidationError } from './error-body.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The body is not valid JSON (code malformed_json)',
  404: 'No such resource in the caller\'s project',
  409: 'Conflicts with the current state',
  413: 'The body is larger than 1 MiB (code body_too_large)',
  415: 'The body is not application/json (code unsupported_media_type)',
};

/** Documents the error answers a route can give, with the contract's bodies. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      status === 422
        ? ApiResponse({ status, description: 'Validation error: every problem of the request', type: HTTPValidationError })
        : ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorBody }),
    ),
  );
}
