import { HttpStatus } from '@nestjs/common';
import type { ErrorCode } from '../domain/error-code.js';

/** The status of every error code; a code missing here is a compile error. */
export const ERROR_STATUS: Record<ErrorCode, HttpStatus> = {
  validation_failed: HttpStatus.UNPROCESSABLE_ENTITY,
  malformed_json: HttpStatus.BAD_REQUEST,
  bad_request: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  insufficient_scope: HttpStatus.FORBIDDEN,
  model_locked: HttpStatus.FORBIDDEN,
  provider_not_connected: HttpStatus.FORBIDDEN,
  internal_only: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  agent_not_found: HttpStatus.NOT_FOUND,
  version_not_found: HttpStatus.NOT_FOUND,
  label_not_found: HttpStatus.NOT_FOUND,
  precondition_failed: HttpStatus.PRECONDITION_FAILED,
  cursor_expired: HttpStatus.GONE,
  method_not_allowed: HttpStatus.METHOD_NOT_ALLOWED,
  agent_id_conflict: HttpStatus.CONFLICT,
  body_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  idempotency_key_reused: HttpStatus.UNPROCESSABLE_ENTITY,
  idempotency_key_in_flight: HttpStatus.CONFLICT,
  database_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  request_timeout: HttpStatus.REQUEST_TIMEOUT,
  shutting_down: HttpStatus.SERVICE_UNAVAILABLE,
  internal_error: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** The code of an error the framework (Nest or Fastify) raised with only a status. */
export const CODE_OF_FRAMEWORK_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'malformed_json',
  408: 'request_timeout',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};
