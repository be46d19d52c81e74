import type { AgentCursor } from '../../application/agent-queries.port.js';
import { AGENT_ID_PATTERN } from '../../domain/agent-rules.js';

// Opaque to clients: base64url of a small JSON. A cursor that does not decode to a position is
// refused (422); a well-formed one only ever positions a page inside the caller's own project.
const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;
// A creation time as toISOString writes one for years 0000-9999: PostgreSQL's timestamptz cannot
// hold every date JavaScript can (nothing before 4713 BC), and no agent was created outside these.
const CREATED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
// agent_versions.number is a PostgreSQL integer: a larger number would fail the query.
const MAX_VERSION_NUMBER = 2_147_483_647;

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(cursor: string): Record<string, unknown> | null {
  if (!BASE64URL.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function encodeAgentCursor(cursor: AgentCursor): string {
  return encode({ t: cursor.createdAt.toISOString(), i: cursor.id });
}

export function decodeAgentCursor(cursor: string): AgentCursor | null {
  const value = decode(cursor);
  if (!value || typeof value.t !== 'string' || typeof value.i !== 'string' || !CREATED_AT.test(value.t)) return null;
  const createdAt = new Date(value.t);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== value.t) return null;
  if (value.i.length > 64 || !AGENT_ID_PATTERN.test(value.i)) return null;
  return { createdAt, id: value.i };
}

export function encodeVersionCursor(number: number): string {
  return encode({ n: number });
}

export function decodeVersionCursor(cursor: string): number | null {
  const value = decode(cursor);
  return value && Number.isSafeInteger(value.n) && (value.n as number) > 0 && (value.n as number) <= MAX_VERSION_NUMBER ? (value.n as number) : null;
}
