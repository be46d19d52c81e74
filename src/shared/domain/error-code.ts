/**
 * Every stable error code the API answers with. Adding one here without giving it a status in
 * shared/http/error-status.ts fails to compile.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'unauthorized'
  | 'insufficient_scope'
  | 'model_locked'
  | 'provider_not_connected'
  | 'internal_only'
  | 'not_found'
  | 'agent_not_found'
  | 'version_not_found'
  | 'label_not_found'
  | 'precondition_failed'
  | 'cursor_expired'
  | 'agent_id_conflict'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'bad_request'
  | 'rate_limited'
  | 'idempotency_key_reused'
  | 'idempotency_key_in_flight'
  | 'database_unavailable'
  | 'request_timeout'
  | 'shutting_down'
  | 'internal_error';
