import { InvalidArgumentError } from 'commander';
import { SCOPES, isScope, type Scope } from '../shared/domain/caller.js';
import { PROVIDER_TYPE_PATTERN } from '../modules/workspaces/workspace-admin.js';

// Commander calls these (tiers are checked with its Option.choices) with each option's value; an InvalidArgumentError is a usage error (exit code 2).

/** A comma-separated list of scopes, at least one; repeats are dropped. */
export function parseScopes(value: string): Scope[] {
  const scopes = parseList(value);
  if (scopes.length === 0) throw new InvalidArgumentError(`Expected at least one of ${SCOPES.join(', ')}.`);
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) throw new InvalidArgumentError(`Unknown scope ${unknown.join(', ')}: expected ${SCOPES.join(', ')}.`);
  return scopes as Scope[];
}

export function parseProviderType(value: string): string {
  if (!PROVIDER_TYPE_PATTERN.test(value)) {
    throw new InvalidArgumentError(`Expected lowercase letters, digits, "_" or "-" (at most 64, starting with a letter or digit), such as openai.`);
  }
  return value;
}

/** A comma-separated list of model ids; empty means none. */
export function parseModels(value: string): string[] {
  return parseList(value);
}

/** A name or an id: not blank. */
export function parseText(value: string): string {
  const text = value.trim();
  if (!text) throw new InvalidArgumentError('Expected a non-empty value.');
  return text;
}

// A date (midnight UTC), or a date and time with an optional offset (local time without one).
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time, later than now. */
export function parseFutureDate(value: string, now: Date = new Date()): Date {
  const match = ISO_DATE.exec(value);
  const date = new Date(value);
  if (!match || Number.isNaN(date.getTime()) || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new InvalidArgumentError('Expected an ISO 8601 date, such as 2030-01-31 or 2030-01-31T12:00:00Z.');
  }
  if (date.getTime() <= now.getTime()) throw new InvalidArgumentError(`Expected a date in the future (it is ${now.toISOString()}).`);
  return date;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseList(value: string): string[] {
  return [...new Set(value.split(',').map((item) => item.trim()).filter((item) => item.length > 0))];
}
