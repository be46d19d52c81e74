import type { Problem } from './request-validation.error.js';

export const MAX_NESTING = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What no field of any request may hold, wherever it is: NUL characters and unpaired surrogates
 * in strings or keys (PostgreSQL would choke on them), prototype-ish keys, and nesting deeper
 * than MAX_NESTING. Walks only as deep as the limit, so a hostile depth costs nothing more.
 */
export function inspectJson(value: unknown, loc: (string | number)[]): Problem[] {
  const problems: Problem[] = [];
  walk(value, loc, 0, problems);
  return problems;
}

function walk(value: unknown, loc: (string | number)[], depth: number, problems: Problem[]): void {
  if (typeof value === 'string') {
    const why = badString(value);
    if (why) problems.push({ loc, msg: why, type: 'string_unicode' });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_NESTING) {
    problems.push({ loc, msg: `Nested deeper than ${MAX_NESTING} levels`, type: 'too_deep' });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) walk(value[index], [...loc, index], depth + 1, problems);
    return;
  }
  for (const key of Object.keys(value)) {
    const at = [...loc, key];
    if (FORBIDDEN_KEYS.has(key)) problems.push({ loc: at, msg: `The key "${key}" is not allowed`, type: 'forbidden_key' });
    const why = badString(key);
    if (why) problems.push({ loc: at, msg: `Key: ${why}`, type: 'string_unicode' });
    walk((value as Record<string, unknown>)[key], at, depth + 1, problems);
  }
}

function badString(text: string): string | null {
  if (text.includes('\u0000')) return 'Must not contain NUL characters';
  if (!text.isWellFormed()) return 'Must not contain unpaired surrogates';
  return null;
}
