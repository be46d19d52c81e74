import { DomainError } from '../../shared/domain/domain-error.js';

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'idempotency_key_reused';

  constructor() {
    super('This Idempotency-Key was used with another request: use a new key for a new request');
  }
}

export class IdempotencyKeyInFlightError extends DomainError {
  readonly code = 'idempotency_key_in_flight';

  constructor() {
    super('A request with this Idempotency-Key is still being processed: retry shortly');
  }
}
