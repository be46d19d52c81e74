import fc from 'fast-check';
import { TIERS } from '../../../shared/domain/tier.js';
import { MODEL_CATALOG } from './model-catalog.js';
import { defaultEffortOf, EXTERNAL_DEFAULT_EFFORT, EXTERNAL_MODELS_TIER, isExternalModelId, parseModelRef, requiredTierOf, supportsEffort, type ModelRef } from './model-ref.js';
import { REASONING_EFFORTS } from './reasoning-effort.js';

const providerType = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/);
/** Any non-empty model id a vendor could have: every Unicode code point, spaces, slashes, colons, "%". */
const rawModelId = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((text) => text.isWellFormed());

/** The external model a valid id names. */
function external(ref: ModelRef | null): { providerType: string; modelId: string; id: string } {
  if (ref === null || ref.kind !== 'external') throw new Error(`expected an external model, got ${JSON.stringify(ref)}`);
  return { providerType: ref.providerType, modelId: ref.modelId, id: ref.id };
}

describe('parseModelRef', () => {
  describe('managed models', () => {
    it.each(MODEL_CATALOG.map((model) => [model.id, model] as const))('names the catalog entry of %s', (id, model) => {
      expect(parseModelRef(id)).toEqual({ kind: 'managed', id, model });
    });

    it.each(['', 'gpt-4o', 'claude-opus', 'CLAUDE-OPUS-4-6', 'claude-opus-4-6 ', 'gemini-3-flash\n', 'toString', '__proto__'])('knows no model %j', (id) => {
      expect(parseModelRef(id)).toBeNull();
    });
  });

  describe('external models: external:{providerType}:{urlEncodedModelId}', () => {
    it.each([
      ['external:openai:gpt-4o', 'openai', 'gpt-4o'],
      ['external:openrouter:meta-llama%2Fllama-3.1-70b', 'openrouter', 'meta-llama/llama-3.1-70b'],
      ['external:azure_openai:my%20deployment', 'azure_openai', 'my deployment'],
      ['external:bedrock:anthropic.claude-v2%3A1', 'bedrock', 'anthropic.claude-v2:1'],
      ['external:bedrock:anthropic.claude-v2:1', 'bedrock', 'anthropic.claude-v2:1'],
      ['external:vertex:mod%C3%A8le', 'vertex', 'modèle'],
      ['external:x:%F0%9F%98%80', 'x', '😀'],
      ['external:ollama:%25', 'ollama', '%'],
      ['external:a-1:~model_(v2)!*', 'a-1', '~model_(v2)!*'],
    ])('%s is model %j of provider %j', (id, provider, modelId) => {
      expect(external(parseModelRef(id))).toEqual({ id, providerType: provider, modelId });
    });

    it('names the decoded model of any provider type for any percent-encoded model id', () => {
      fc.assert(
        fc.property(providerType, rawModelId, (provider, modelId) => {
          const id = `external:${provider}:${encodeURIComponent(modelId)}`;
          expect(external(parseModelRef(id))).toEqual({ id, providerType: provider, modelId });
        }),
      );
    });

    it('accepts lower-case hex in escapes', () => {
      expect(external(parseModelRef('external:vertex:mod%c3%a8le')).modelId).toBe('modèle');
    });

    it.each([
      ['empty model id', 'external:openai:'],
      ['no model id part', 'external:openai'],
      ['no provider type', 'external::gpt-4o'],
      ['nothing after the prefix', 'external:'],
      ['an upper-case provider type', 'external:OpenAI:gpt-4o'],
      ['a provider type starting with "-"', 'external:-openai:gpt-4o'],
      ['a provider type of 65 characters', `external:${'a'.repeat(65)}:gpt-4o`],
      ['a prefix in capitals', 'EXTERNAL:openai:gpt-4o'],
      ['"%zz"', 'external:openai:gpt%zz'],
      ['a lone "%"', 'external:openai:%'],
      ['a one-digit escape', 'external:openai:gpt%2'],
      ['"%C3", a truncated UTF-8 sequence', 'external:openai:%C3'],
      ['"%C3" followed by ASCII', 'external:openai:%C3x'],
      ['a lone continuation byte', 'external:openai:%A9'],
      ['an invalid UTF-8 byte', 'external:openai:%FF'],
      ['an overlong encoding', 'external:openai:%C0%80'],
      ['an encoded surrogate half', 'external:openai:%ED%A0%80'],
      ['a raw space', 'external:openai:gpt 4o'],
      ['a raw non-ASCII character', 'external:vertex:modèle'],
      ['a raw slash', 'external:openrouter:meta-llama/llama-3'],
      ['a raw newline', 'external:openai:gpt\n4o'],
    ])('refuses %s', (_why, id) => {
      expect(parseModelRef(id)).toBeNull();
    });

    it('refuses a valid id into which a malformed escape has been put anywhere', () => {
      fc.assert(
        fc.property(
          providerType,
          rawModelId,
          fc.constantFrom('%zz', '%G0', '%', '%2', '%C3', '%E2%82', '%FF', '%80', ' ', 'é'),
          fc.nat(),
          (provider, modelId, bad, at) => {
            const units = encodeURIComponent(modelId).match(/%[0-9A-F]{2}|[^%]/g)!;
            const position = at % (units.length + 1);
            // A truncated escape ("%", "%2") followed by hex digits of the id would be completed ("%2" + "0" is "%20").
            fc.pre(!/^%[0-9A-F]?$/.test(bad) || !/^[0-9A-Fa-f]/.test(units[position] ?? ''));
            const broken = [...units.slice(0, position), bad, ...units.slice(position)].join('');
            expect(parseModelRef(`external:${provider}:${broken}`)).toBeNull();
          },
        ),
      );
    });

    it('refuses a provider type that breaks its pattern', () => {
      fc.assert(
        fc.property(
          fc.string({ minLength: 1, maxLength: 70 }).filter((text) => !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(text) && !text.includes(':')),
          (provider) => {
            expect(parseModelRef(`external:${provider}:gpt-4o`)).toBeNull();
          },
        ),
      );
    });
  });
});

describe('isExternalModelId', () => {
  it('is true for ids with the external: prefix, valid or not', () => {
    expect(isExternalModelId('external:openai:gpt-4o')).toBe(true);
    expect(isExternalModelId('external:openai:%zz')).toBe(true);
    expect(isExternalModelId('external:')).toBe(true);
  });

  it('is false for managed and other ids', () => {
    for (const model of MODEL_CATALOG) expect(isExternalModelId(model.id)).toBe(false);
    expect(isExternalModelId('gpt-4o')).toBe(false);
    expect(isExternalModelId('External:openai:gpt-4o')).toBe(false);
    expect(isExternalModelId(' external:openai:gpt-4o')).toBe(false);
  });
});

describe('what a model reference implies', () => {
  const externalRef = parseModelRef('external:openai:gpt-4o')!;

  it('external models need the team tier', () => {
    expect(EXTERNAL_MODELS_TIER).toBe('team');
    expect(requiredTierOf(externalRef)).toBe('team');
  });

  it('a managed model needs the tier of its catalog entry', () => {
    expect(Object.fromEntries(MODEL_CATALOG.map((model) => [model.id, requiredTierOf(parseModelRef(model.id)!)]))).toEqual({
      'claude-opus-4-6': 'pro',
      'claude-sonnet-4-5': 'free',
      'claude-haiku-4-5': 'free',
      'gemini-3-flash': 'free',
      'gemini-3-1-pro': 'free',
    });
    expect(TIERS).toContain(requiredTierOf(externalRef));
  });

  it('an external model supports every reasoning effort', () => {
    fc.assert(
      fc.property(providerType, rawModelId, fc.constantFrom(...REASONING_EFFORTS), (provider, modelId, effort) => {
        expect(supportsEffort(parseModelRef(`external:${provider}:${encodeURIComponent(modelId)}`)!, effort)).toBe(true);
      }),
    );
  });

  it('a managed model supports exactly the efforts of its catalog entry', () => {
    const supported = Object.fromEntries(
      MODEL_CATALOG.map((model) => [model.id, REASONING_EFFORTS.filter((effort) => supportsEffort(parseModelRef(model.id)!, effort))]),
    );
    expect(supported).toEqual({
      'claude-opus-4-6': ['low', 'medium', 'high'],
      'claude-sonnet-4-5': ['low', 'medium', 'high'],
      'claude-haiku-4-5': ['low', 'medium', 'high'],
      'gemini-3-flash': ['minimal', 'low', 'medium', 'high'],
      'gemini-3-1-pro': ['low', 'medium', 'high'],
    });
  });

  it("a managed model's default effort is its catalog default; an external one's is medium", () => {
    expect(Object.fromEntries(MODEL_CATALOG.map((model) => [model.id, defaultEffortOf(parseModelRef(model.id)!)]))).toEqual({
      'claude-opus-4-6': 'high',
      'claude-sonnet-4-5': 'medium',
      'claude-haiku-4-5': 'low',
      'gemini-3-flash': 'high',
      'gemini-3-1-pro': 'high',
    });
    expect(EXTERNAL_DEFAULT_EFFORT).toBe('medium');
    expect(defaultEffortOf(externalRef)).toBe('medium');
  });
});
