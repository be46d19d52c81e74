import fc from 'fast-check';
import { isTier } from '../../../shared/domain/tier.js';
import { CATALOG_DEFAULT_MODEL_ID, defaultModelOf, findManagedModel, MODEL_CATALOG } from './model-catalog.js';
import { isReasoningEffort } from './reasoning-effort.js';

/** The Models table of the contract, row by row. */
const CONTRACT_TABLE = [
  { id: 'claude-opus-4-6', provider: 'anthropic', requiredTier: 'pro', reasoningEfforts: ['low', 'medium', 'high'], defaultReasoningEffort: 'high' },
  { id: 'claude-sonnet-4-5', provider: 'anthropic', requiredTier: 'free', reasoningEfforts: ['low', 'medium', 'high'], defaultReasoningEffort: 'medium' },
  { id: 'claude-haiku-4-5', provider: 'anthropic', requiredTier: 'free', reasoningEfforts: ['low', 'medium', 'high'], defaultReasoningEffort: 'low' },
  { id: 'gemini-3-flash', provider: 'google', requiredTier: 'free', reasoningEfforts: ['minimal', 'low', 'medium', 'high'], defaultReasoningEffort: 'high' },
  { id: 'gemini-3-1-pro', provider: 'google', requiredTier: 'free', reasoningEfforts: ['low', 'medium', 'high'], defaultReasoningEffort: 'high' },
];

describe('MODEL_CATALOG', () => {
  it('holds exactly the models of the contract, in its order, with their provider, tier and efforts', () => {
    expect(
      MODEL_CATALOG.map(({ id, provider, requiredTier, reasoningEfforts, defaultReasoningEffort }) => ({
        id,
        provider,
        requiredTier,
        reasoningEfforts,
        defaultReasoningEffort,
      })),
    ).toEqual(CONTRACT_TABLE);
  });

  it('has unique ids', () => {
    const ids = MODEL_CATALOG.map((model) => model.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(MODEL_CATALOG.map((model) => [model.id, model] as const))('%s', (_id, model) => {
    it('has an id in the managed-model format, never one that looks external', () => {
      expect(model.id).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
      expect(model.id.startsWith('external:')).toBe(false);
    });

    it('has a non-empty label and description without surrounding whitespace', () => {
      expect(model.label.trim()).toBe(model.label);
      expect(model.label.length).toBeGreaterThan(0);
      expect(model.description.trim()).toBe(model.description);
      expect(model.description.length).toBeGreaterThan(0);
    });

    it('requires a tier that exists', () => {
      expect(isTier(model.requiredTier)).toBe(true);
    });

    it('has a positive integer context window', () => {
      expect(Number.isSafeInteger(model.contextWindow)).toBe(true);
      expect(model.contextWindow).toBeGreaterThan(0);
    });

    it('supports at least one effort, each a known one, none twice', () => {
      expect(model.reasoningEfforts.length).toBeGreaterThan(0);
      expect(model.reasoningEfforts.every(isReasoningEffort)).toBe(true);
      expect(new Set(model.reasoningEfforts).size).toBe(model.reasoningEfforts.length);
    });

    it('defaults to one of the efforts it supports', () => {
      expect(model.reasoningEfforts).toContain(model.defaultReasoningEffort);
    });

    it('has a known provider, speed and intelligence', () => {
      expect(['anthropic', 'google']).toContain(model.provider);
      expect(['fastest', 'fast', 'moderate']).toContain(model.speed);
      expect(['standard', 'high', 'highest']).toContain(model.intelligence);
    });

    it('is found by its id', () => {
      expect(findManagedModel(model.id)).toBe(model);
    });
  });

  it('only gemini-3-flash supports the minimal effort', () => {
    expect(MODEL_CATALOG.filter((model) => model.reasoningEfforts.includes('minimal')).map((model) => model.id)).toEqual(['gemini-3-flash']);
  });

  it('only claude-opus-4-6 needs more than the free tier', () => {
    expect(MODEL_CATALOG.filter((model) => model.requiredTier !== 'free').map((model) => model.id)).toEqual(['claude-opus-4-6']);
  });
});

describe('findManagedModel', () => {
  it.each(['', 'claude', 'Claude-Opus-4-6', 'claude-opus-4-6 ', ' gemini-3-flash', 'gemini-3-flash-preview', 'external:anthropic:claude-opus-4-6', 'toString', '__proto__', 'constructor'])(
    'finds nothing for %j',
    (id) => {
      expect(findManagedModel(id)).toBeUndefined();
    },
  );

  it('finds nothing for any string that is not a catalog id', () => {
    const ids = new Set(MODEL_CATALOG.map((model) => model.id));
    fc.assert(
      fc.property(
        fc.string().filter((text) => !ids.has(text)),
        (text) => {
          expect(findManagedModel(text)).toBeUndefined();
        },
      ),
    );
  });
});

describe('defaultModelOf', () => {
  it('is claude-sonnet-4-5, a free-tier model, when the workspace chose none', () => {
    expect(CATALOG_DEFAULT_MODEL_ID).toBe('claude-sonnet-4-5');
    expect(findManagedModel(CATALOG_DEFAULT_MODEL_ID)?.requiredTier).toBe('free');
    expect(defaultModelOf({ tier: 'free', chosenDefaultModel: null })).toBe('claude-sonnet-4-5');
  });

  it("is the workspace's choice while its tier reaches it", () => {
    expect(defaultModelOf({ tier: 'free', chosenDefaultModel: 'gemini-3-flash' })).toBe('gemini-3-flash');
    expect(defaultModelOf({ tier: 'pro', chosenDefaultModel: 'claude-opus-4-6' })).toBe('claude-opus-4-6');
  });

  it('falls back to the catalog default when the tier no longer reaches the choice, or it left the catalog', () => {
    expect(defaultModelOf({ tier: 'free', chosenDefaultModel: 'claude-opus-4-6' })).toBe('claude-sonnet-4-5');
    expect(defaultModelOf({ tier: 'enterprise', chosenDefaultModel: 'claude-retired-1' })).toBe('claude-sonnet-4-5');
  });
});
