import { DomainError } from '../../shared/domain/domain-error.js';

/** `after` names a position that retention has already removed events after: the reader would miss them. */
export class CursorExpiredError extends DomainError {
  readonly code = 'cursor_expired';

  constructor(after: string, retentionDays: number) {
    super(`Events after ${after} are no longer kept (events are kept ${retentionDays} days): read from the start, without after`);
  }
}
