import { DomainError } from '../../shared/domain/domain-error.js';

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
}

export class InsufficientScopeError extends DomainError {
  readonly code = 'insufficient_scope';

  constructor(scopes: readonly string[]) {
    super(`This API key lacks the scope ${scopes.join(' or ')}`);
  }
}
