import { DomainError } from './domain-error.js';

/** The database cannot serve now; the client should retry after `retryAfterSeconds`. */
export class DatabaseUnavailableError extends DomainError {
  readonly code = 'database_unavailable';
  readonly retryAfterSeconds = 5;

  constructor() {
    super('The database is unavailable; retry shortly');
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';

  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests for this API key; retry in ${retryAfterSeconds} s`);
  }
}

/** The instance is stopping; another one (or this one, restarted) will answer a retry. */
export class ShuttingDownError extends DomainError {
  readonly code = 'shutting_down';
  readonly retryAfterSeconds = 1;

  constructor() {
    super('The service is restarting; retry shortly');
  }
}
