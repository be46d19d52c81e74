import { inspectJson } from './inspect-json.js';
import { RequestValidationError, type Problem } from './request-validation.error.js';

export const MAX_TEXT = 255;
const METADATA_PARAM = /^metadata\[([^\]]{1,128})\]$/;
export const MAX_METADATA_FILTERS = 10;

export interface LimitRule {
  readonly default: number;
  readonly max: number;
}

/** Reads a query string strictly: every problem becomes a 422 entry at ["query", name]. */
export class QueryReader {
  readonly problems: Problem[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly query: Record<string, unknown>) {
    this.problems.push(...inspectJson(query, ['query']));
  }

  text(name: string): string | undefined {
    this.seen.add(name);
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problem(name, 'Give this parameter once', 'multiple_values');
      return undefined;
    }
    if (value.length > MAX_TEXT) {
      this.problem(name, `At most ${MAX_TEXT} characters`, 'string_too_long');
      return undefined;
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.text(name);
    if (value === undefined || value === 'true' || value === 'false') return value === undefined ? undefined : value === 'true';
    this.problem(name, 'Input should be true or false', 'bool_parsing');
    return undefined;
  }

  limit(rule: LimitRule): number {
    const value = this.text('limit');
    if (value === undefined) return rule.default;
    const limit = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
    if (limit >= 1 && limit <= rule.max) return limit;
    this.problem('limit', `limit must be an integer from 1 to ${rule.max}`, 'limit_out_of_range');
    return rule.default;
  }

  order(): 'asc' | 'desc' {
    const value = this.text('order');
    if (value === undefined || value === 'asc' || value === 'desc') return value ?? 'desc';
    this.problem('order', 'order must be asc or desc', 'enum');
    return 'desc';
  }

  cursor<Cursor>(decode: (cursor: string) => Cursor | null): Cursor | undefined {
    const value = this.text('cursor');
    if (value === undefined) return undefined;
    const cursor = decode(value);
    if (cursor === null) this.problem('cursor', 'Not a cursor this API gave: use next_cursor of the previous page', 'invalid_cursor');
    return cursor ?? undefined;
  }

  /** Every parameter named `metadata[key]`, as { key: value }. */
  metadata(): Record<string, string> | undefined {
    const found: Record<string, string> = {};
    for (const name of Object.keys(this.query)) {
      const key = METADATA_PARAM.exec(name)?.[1];
      if (key === undefined) continue;
      const value = this.text(name);
      if (value !== undefined) Object.defineProperty(found, key, { value, enumerable: true });
    }
    const count = Object.keys(found).length;
    if (count > MAX_METADATA_FILTERS) this.problem('metadata', `At most ${MAX_METADATA_FILTERS} metadata filters`, 'too_many_filters');
    return count > 0 ? found : undefined;
  }

  /** Throws the 422 when a parameter was wrong or unknown. */
  finish(): void {
    for (const name of Object.keys(this.query)) {
      if (!this.seen.has(name)) this.problem(name, 'Unknown query parameter', 'extra_forbidden');
    }
    if (this.problems.length > 0) throw new RequestValidationError(this.problems);
  }

  problem(name: string, msg: string, type: string): void {
    if (!this.problems.some((problem) => problem.loc[1] === name)) this.problems.push({ loc: ['query', name], msg, type });
  }
}
