import type { Tier } from '../../../../shared/domain/tier.js';
import type { ReasoningEffort } from '../../domain/reasoning-effort.js';

export interface ModelEntry {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly intelligence: string | null;
  readonly contextWindow: number | null;
  readonly speed: string | null;
  readonly source: 'managed' | 'external';
  readonly providerType: string;
  readonly requiredTier: Tier;
  readonly locked: boolean;
  readonly reasoningEfforts: readonly ReasoningEffort[];
  readonly defaultReasoningEffort: ReasoningEffort;
}

export interface ModelListing {
  readonly tier: Tier;
  /** The model an agent created without one gets. */
  readonly defaultModel: string;
  readonly models: readonly ModelEntry[];
}
