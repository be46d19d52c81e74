import type { ErrorCode } from './error-code.js';

/** A refusal the API answers with a 4xx; `code` is the stable snake_case code of the contract. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One broken rule of a request, reported as one `{ loc, msg, type }` entry of a 422. */
export interface Violation {
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly message: string;
}

/** Every rule a request broke, at once (422). */
export class ValidationFailedError extends DomainError {
  readonly code = 'validation_failed';

  constructor(readonly violations: readonly Violation[]) {
    super(`${violations.length} invalid field(s)`);
  }
}
