import type { Tier } from './tier.js';

export const SCOPES = ['agents:read', 'agents:write', 'internal'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** Who a request acts for, as its API key says: every query is scoped by `projectId`. */
export interface Caller {
  readonly keyId: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly userId: string;
  readonly scopes: readonly Scope[];
  readonly tier: Tier;
}

export function isInternal(caller: Caller): boolean {
  return caller.scopes.includes('internal');
}
