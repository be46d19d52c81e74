import type { Violation } from '../domain/domain-error.js';

/** One entry of a 422 body, in the contract's (FastAPI's) shape. */
export interface Problem {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/** A rule a body field broke (the aggregate's Violation), as a 422 entry. */
export function bodyProblemOf(violation: Violation): Problem {
  return { loc: ['body', ...violation.path], msg: violation.message, type: violation.code };
}

/** A request whose shape is wrong (types, unknown fields, unsafe strings): a 422 with every problem. */
export class RequestValidationError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`${problems.length} problem(s) in the request`);
  }
}
