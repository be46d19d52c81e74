import type { Tier } from '../../../shared/domain/tier.js';
import { findManagedModel, type ManagedModel } from './model-catalog.js';
import type { ReasoningEffort } from './reasoning-effort.js';

/** External models are open from this tier up, for a provider the workspace has connected. */
export const EXTERNAL_MODELS_TIER: Tier = 'team';
/** External providers accept any effort; this one is used when the request names none. */
export const EXTERNAL_DEFAULT_EFFORT: ReasoningEffort = 'medium';

export type ModelRef =
  | { readonly kind: 'managed'; readonly id: string; readonly model: ManagedModel }
  | { readonly kind: 'external'; readonly id: string; readonly providerType: string; readonly modelId: string };

const EXTERNAL = /^external:([a-z0-9][a-z0-9_-]{0,63}):(.+)$/s;
// RFC 3986 pchar: unreserved, sub-delims, ':' and '@', or a %XX escape.
const PERCENT_ENCODED = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;

export function isExternalModelId(id: string): boolean {
  return id.startsWith('external:');
}

/** The model an id names, or null when it names none: unknown, or a malformed external id. */
export function parseModelRef(id: string): ModelRef | null {
  const managed = findManagedModel(id);
  if (managed) return { kind: 'managed', id, model: managed };
  const external = EXTERNAL.exec(id);
  if (!external || !PERCENT_ENCODED.test(external[2])) return null;
  const modelId = decodePercent(external[2]);
  if (modelId === null || modelId.length === 0) return null;
  return { kind: 'external', id, providerType: external[1], modelId };
}

export function requiredTierOf(ref: ModelRef): Tier {
  return ref.kind === 'managed' ? ref.model.requiredTier : EXTERNAL_MODELS_TIER;
}

export function supportsEffort(ref: ModelRef, effort: ReasoningEffort): boolean {
  return ref.kind === 'external' || ref.model.reasoningEfforts.includes(effort);
}

export function defaultEffortOf(ref: ModelRef): ReasoningEffort {
  return ref.kind === 'managed' ? ref.model.defaultReasoningEffort : EXTERNAL_DEFAULT_EFFORT;
}

function decodePercent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null; // %-escapes that are not UTF-8
  }
}
