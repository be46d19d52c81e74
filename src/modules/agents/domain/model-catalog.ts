import { tierReaches, type Tier } from '../../../shared/domain/tier.js';
import type { ReasoningEffort } from './reasoning-effort.js';

export type ModelProvider = 'anthropic' | 'google';
export type ModelSpeed = 'fastest' | 'fast' | 'moderate';
export type ModelIntelligence = 'standard' | 'high' | 'highest';

export interface ManagedModel {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly provider: ModelProvider;
  readonly contextWindow: number;
  readonly speed: ModelSpeed;
  readonly intelligence: ModelIntelligence;
  readonly requiredTier: Tier;
  /** What the vendor's API can express; for the Claude 4.5 models the runtime maps it to a thinking budget. */
  readonly reasoningEfforts: readonly ReasoningEffort[];
  readonly defaultReasoningEffort: ReasoningEffort;
}

/** The managed models, in the order GET /v1/agents/models lists them. Add a model by adding an entry. */
export const MODEL_CATALOG: readonly ManagedModel[] = [
  {
    id: 'claude-opus-4-6',
    label: 'Claude Opus 4.6',
    description: "Anthropic's most capable model, for complex and long-running agent work.",
    provider: 'anthropic',
    contextWindow: 200_000,
    speed: 'moderate',
    intelligence: 'highest',
    requiredTier: 'pro',
    reasoningEfforts: ['low', 'medium', 'high'],
    defaultReasoningEffort: 'high',
  },
  {
    id: 'claude-sonnet-4-5',
    label: 'Claude Sonnet 4.5',
    description: 'Balanced intelligence and speed for everyday agents, coding and tool use.',
    provider: 'anthropic',
    contextWindow: 200_000,
    speed: 'fast',
    intelligence: 'high',
    requiredTier: 'free',
    reasoningEfforts: ['low', 'medium', 'high'],
    defaultReasoningEffort: 'medium',
  },
  {
    id: 'claude-haiku-4-5',
    label: 'Claude Haiku 4.5',
    description: "Anthropic's fastest model, for high-volume and latency-sensitive agents.",
    provider: 'anthropic',
    contextWindow: 200_000,
    speed: 'fastest',
    intelligence: 'standard',
    requiredTier: 'free',
    reasoningEfforts: ['low', 'medium', 'high'],
    defaultReasoningEffort: 'low',
  },
  {
    id: 'gemini-3-flash',
    label: 'Gemini 3 Flash',
    description: "Google's fast multimodal model with a very large context window.",
    provider: 'google',
    contextWindow: 1_048_576,
    speed: 'fastest',
    intelligence: 'high',
    requiredTier: 'free',
    reasoningEfforts: ['minimal', 'low', 'medium', 'high'],
    defaultReasoningEffort: 'high',
  },
  {
    id: 'gemini-3-1-pro',
    label: 'Gemini 3.1 Pro',
    description: "Google's most capable reasoning model, for research and long documents.",
    provider: 'google',
    contextWindow: 1_048_576,
    speed: 'moderate',
    intelligence: 'highest',
    requiredTier: 'free',
    reasoningEfforts: ['low', 'medium', 'high'],
    defaultReasoningEffort: 'high',
  },
];

const BY_ID = new Map(MODEL_CATALOG.map((model) => [model.id, model]));

export function findManagedModel(id: string): ManagedModel | undefined {
  return BY_ID.get(id);
}

/** The model of an agent created without one, in a workspace that chose none (a free-tier model). */
export const CATALOG_DEFAULT_MODEL_ID = 'claude-sonnet-4-5';

/**
 * The model an agent gets when its request names none: the workspace's chosen default while its
 * tier reaches that model (a later downgrade must not break creates), else the catalog's default.
 */
export function defaultModelOf(workspace: { readonly tier: Tier; readonly chosenDefaultModel: string | null }): string {
  const chosen = workspace.chosenDefaultModel === null ? undefined : findManagedModel(workspace.chosenDefaultModel);
  return chosen && tierReaches(workspace.tier, chosen.requiredTier) ? chosen.id : CATALOG_DEFAULT_MODEL_ID;
}
