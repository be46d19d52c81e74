import fc from 'fast-check';
import { DomainError, ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { TIERS, type Tier } from '../../../shared/domain/tier.js';
import { Agent, INITIAL_VERSION, type AgentProps, type CreationContext, type NewAgent } from './agent.js';
import { InternalOnlyError, ModelLockedError, ProviderNotConnectedError } from './agent.errors.js';
import { AGENT_ID_PATTERN, LIMITS } from './agent-rules.js';
import { MODEL_CATALOG } from './model-catalog.js';
import { REASONING_EFFORTS, type ReasoningEffort } from './reasoning-effort.js';

// ---- factories -------------------------------------------------------------------------------

const NOW = new Date('2026-11-22T10:00:00.000Z');

function validInput(overrides: Partial<NewAgent> = {}): NewAgent {
  return { name: 'Support bot', model: 'claude-sonnet-4-5', ...overrides };
}

function context(overrides: Partial<CreationContext> = {}): CreationContext {
  return {
    projectId: 'prj_1',
    actor: { userId: 'usr_1', internal: false },
    tier: 'free',
    connectedProviders: [],
    now: NOW,
    ...overrides,
  };
}

const INTERNAL = { userId: 'svc_runs', internal: true } as const;

function create(input: Partial<NewAgent> = {}, ctx: Partial<CreationContext> = {}): AgentProps {
  return Agent.create(validInput(input), context(ctx)).snapshot();
}

/** The error Agent.create throws; fails the test when it throws nothing. */
function refusal(input: Partial<NewAgent>, ctx: Partial<CreationContext> = {}): DomainError {
  try {
    Agent.create(validInput(input), context(ctx));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('Agent.create accepted the input');
}

/** The "path:code" list of a ValidationFailedError; fails the test on any other outcome. */
function violations(input: Partial<NewAgent>, ctx: Partial<CreationContext> = {}): string[] {
  const error = refusal(input, ctx);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).violations.map((violation) => `${violation.path.join('.')}:${violation.code}`);
}

/** The contract's Models table: what each managed model needs and takes. */
const CONTRACT: Record<string, { requiredTier: Tier; efforts: ReasoningEffort[]; defaultEffort: ReasoningEffort }> = {
  'claude-opus-4-6': { requiredTier: 'pro', efforts: ['low', 'medium', 'high'], defaultEffort: 'high' },
  'claude-sonnet-4-5': { requiredTier: 'free', efforts: ['low', 'medium', 'high'], defaultEffort: 'medium' },
  'claude-haiku-4-5': { requiredTier: 'free', efforts: ['low', 'medium', 'high'], defaultEffort: 'low' },
  'gemini-3-flash': { requiredTier: 'free', efforts: ['minimal', 'low', 'medium', 'high'], defaultEffort: 'high' },
  'gemini-3-1-pro': { requiredTier: 'free', efforts: ['low', 'medium', 'high'], defaultEffort: 'high' },
};

const WHITESPACE = [' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff'];

// ---- tests -----------------------------------------------------------------------------------

describe('Agent.create', () => {
  it('knows every catalog model in the expectations of this spec', () => {
    expect(Object.keys(CONTRACT)).toEqual(MODEL_CATALOG.map((model) => model.id));
  });

  describe('defaults', () => {
    it('fills in everything the input leaves out', () => {
      expect(create()).toEqual({
        id: expect.stringMatching(/^agt_[A-Za-z0-9_-]{22}$/),
        projectId: 'prj_1',
        userId: 'usr_1',
        name: 'Support bot',
        description: null,
        model: 'claude-sonnet-4-5',
        instructions: null,
        binary: null,
        reasoningEffort: 'medium',
        enabledSkills: [],
        deepResearchModel: null,
        isDefault: false,
        isSystem: false,
        isActive: true,
        metadata: {},
        config: {},
        version: '1.0.0',
        revision: 1,
        createdAt: NOW,
        updatedAt: NOW,
        lastRunAt: null,
      });
      expect(INITIAL_VERSION).toBe('1.0.0');
    });

    it('treats null optional fields as omitted', () => {
      const agent = create({ description: null, instructions: null, binary: null, reasoningEffort: null, deepResearchModel: null });
      expect(agent).toMatchObject({ description: null, instructions: null, binary: null, reasoningEffort: 'medium', deepResearchModel: null });
    });

    it('keeps every field it is given', () => {
      const input: NewAgent = {
        id: 'research-bot',
        name: 'Research bot',
        description: 'Finds things out',
        model: 'gemini-3-flash',
        instructions: 'Cite your sources.',
        binary: { path: '/usr/local/bin/claude', args: ['--verbose'] },
        reasoningEffort: 'minimal',
        enabledSkills: ['deep_research', 'web'],
        deepResearchModel: 'gemini-3-pro-preview',
        metadata: { team: 'research', nested: { level: 2 } },
        config: { temperature: 0.2 },
        version: '2.1.0',
        userId: 'usr_2',
        isDefault: true,
        isSystem: true,
      };
      expect(Agent.create(input, context({ actor: INTERNAL, tier: 'pro' })).snapshot()).toEqual({
        id: 'research-bot',
        projectId: 'prj_1',
        userId: 'usr_2',
        name: 'Research bot',
        description: 'Finds things out',
        model: 'gemini-3-flash',
        instructions: 'Cite your sources.',
        binary: { path: '/usr/local/bin/claude', args: ['--verbose'] },
        reasoningEffort: 'minimal',
        enabledSkills: ['deep_research', 'web'],
        deepResearchModel: 'gemini-3-pro-preview',
        isDefault: true,
        isSystem: true,
        isActive: true,
        metadata: { team: 'research', nested: { level: 2 } },
        config: { temperature: 0.2 },
        version: '2.1.0',
        revision: 1,
        createdAt: NOW,
        updatedAt: NOW,
        lastRunAt: null,
      });
    });

    it('is created and updated at the context time, never run, at revision 1', () => {
      fc.assert(
        fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (now) => {
          const agent = create({}, { now });
          expect(agent.createdAt.getTime()).toBe(now.getTime());
          expect(agent.updatedAt.getTime()).toBe(now.getTime());
          expect(agent.lastRunAt).toBeNull();
          expect(agent.revision).toBe(1);
          expect(agent.isActive).toBe(true);
        }),
      );
    });

    it('belongs to the project of the context', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1 }), (projectId) => {
          const agent = Agent.create(validInput(), context({ projectId }));
          expect(agent.projectId).toBe(projectId);
          expect(agent.snapshot().projectId).toBe(projectId);
        }),
      );
    });
  });

  describe('id', () => {
    it('is generated as agt_ and 22 base64url characters, within the id pattern, when omitted', () => {
      const ids = Array.from({ length: 500 }, () => create().id);
      for (const id of ids) {
        expect(id).toMatch(/^agt_[A-Za-z0-9_-]{22}$/);
        expect(AGENT_ID_PATTERN.test(id)).toBe(true);
        expect(id.length).toBeLessThanOrEqual(LIMITS.idLength);
      }
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('is the custom id when one is given', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), (id) => {
          const agent = Agent.create(validInput({ id }), context());
          expect(agent.id).toBe(id);
        }),
      );
    });

    it('refuses a custom id outside the pattern or the length', () => {
      expect(violations({ id: '' })).toEqual(['id:string_length']);
      expect(violations({ id: 'a'.repeat(65) })).toEqual(['id:string_length']);
      expect(violations({ id: '_bot' })).toEqual(['id:string_pattern_mismatch']);
      expect(violations({ id: 'bot/1' })).toEqual(['id:string_pattern_mismatch']);
    });
  });

  describe('name', () => {
    it('is stored trimmed', () => {
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 5 }),
          fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9 .'-]{0,100}[A-Za-z0-9])?$/),
          fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 5 }),
          (before, core, after) => {
            expect(create({ name: before.join('') + core + after.join('') }).name).toBe(core);
          },
        ),
      );
      expect(create({ name: '  \tSupport  bot \n' }).name).toBe('Support  bot');
    });

    it('may be 255 characters after trimming but not 256', () => {
      expect(create({ name: `   ${'n'.repeat(255)}   ` }).name).toBe('n'.repeat(255));
      expect(violations({ name: 'n'.repeat(256) })).toEqual(['name:string_length']);
    });

    it('is required and may not be blank', () => {
      expect(violations({ name: undefined })).toEqual(['name:missing']);
      expect(violations({ name: '' })).toEqual(['name:string_length']);
      expect(violations({ name: ' \t\n ' })).toEqual(['name:string_length']);
    });
  });

  describe('model', () => {
    it.each(MODEL_CATALOG.map((model) => model.id))('may be the managed model %s', (model) => {
      expect(create({ model }, { tier: 'enterprise' }).model).toBe(model);
    });

    it('is required', () => {
      expect(violations({ model: undefined })).toEqual(['model:missing']);
    });

    it.each(['gpt-4o', 'claude-opus-4', 'Claude-Sonnet-4-5', ' claude-sonnet-4-5', 'external:openai:%zz', 'external:openai:%C3', 'external:openai:'])(
      'refuses the unknown or malformed model %j with a 422 on model',
      (model) => {
        const error = refusal({ model }, { tier: 'enterprise', connectedProviders: ['openai'] });
        expect(error).toBeInstanceOf(ValidationFailedError);
        expect(error.code).toBe('validation_failed');
        expect((error as ValidationFailedError).violations).toEqual([{ path: ['model'], code: 'unknown_model', message: expect.stringContaining('Unknown model') }]);
      },
    );
  });

  describe('tier gating', () => {
    const cases = MODEL_CATALOG.flatMap((model) =>
      TIERS.map((tier) => [model.id, tier, TIERS.indexOf(tier) >= TIERS.indexOf(CONTRACT[model.id].requiredTier)] as const),
    );

    it.each(cases)('%s in a %s workspace: allowed %s', (model, tier, allowed) => {
      if (allowed) {
        expect(create({ model }, { tier }).model).toBe(model);
      } else {
        const error = refusal({ model }, { tier });
        expect(error).toBeInstanceOf(ModelLockedError);
        expect(error.code).toBe('model_locked');
        expect(error.message).toBe(`The model ${model} needs the ${CONTRACT[model].requiredTier} tier or above`);
      }
    });

    it('locks claude-opus-4-6 on free and opens it from pro up', () => {
      expect(refusal({ model: 'claude-opus-4-6' }, { tier: 'free' })).toBeInstanceOf(ModelLockedError);
      for (const tier of ['pro', 'team', 'enterprise'] as const) {
        expect(create({ model: 'claude-opus-4-6' }, { tier }).model).toBe('claude-opus-4-6');
      }
    });
  });

  describe('external models', () => {
    const model = 'external:openrouter:meta-llama%2Fllama-3.1-70b';

    it.each(['team', 'enterprise'] as const)('are open to a %s workspace that connected the provider', (tier) => {
      const agent = create({ model }, { tier, connectedProviders: ['openai', 'openrouter'] });
      expect(agent.model).toBe(model);
      expect(agent.reasoningEffort).toBe('medium');
    });

    it.each(['free', 'pro'] as const)('are locked in a %s workspace, even with the provider connected', (tier) => {
      const error = refusal({ model }, { tier, connectedProviders: ['openrouter'] });
      expect(error).toBeInstanceOf(ModelLockedError);
      expect(error.code).toBe('model_locked');
      expect(error.message).toBe(`The model ${model} needs the team tier or above`);
    });

    it.each(['team', 'enterprise'] as const)('need the provider connected in a %s workspace', (tier) => {
      for (const connectedProviders of [[], ['openai'], ['OpenRouter'], ['openrouter2']]) {
        const error = refusal({ model }, { tier, connectedProviders });
        expect(error).toBeInstanceOf(ProviderNotConnectedError);
        expect(error.code).toBe('provider_not_connected');
        expect(error.message).toContain('openrouter');
      }
    });

    it('report the tier before the missing provider', () => {
      expect(refusal({ model }, { tier: 'free', connectedProviders: [] })).toBeInstanceOf(ModelLockedError);
    });

    it('are stored with the id as given, for any provider type and model id', () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter((text) => text.isWellFormed()),
          fc.constantFrom<Tier>('team', 'enterprise'),
          (provider, modelId, tier) => {
            const id = `external:${provider}:${encodeURIComponent(modelId)}`;
            expect(create({ model: id }, { tier, connectedProviders: [provider] }).model).toBe(id);
          },
        ),
      );
    });

    it.each([
      ['malformed percent-encoding %zz', 'external:openrouter:llama%zz'],
      ['a truncated UTF-8 escape %C3', 'external:openrouter:%C3'],
      ['an empty model id', 'external:openrouter:'],
    ])('are a 422 on model with %s, whatever the tier', (_why, bad) => {
      for (const tier of TIERS) {
        expect(violations({ model: bad }, { tier, connectedProviders: ['openrouter'] })).toEqual(['model:unknown_model']);
      }
    });
  });

  describe('reasoning effort', () => {
    const cases = MODEL_CATALOG.flatMap((model) => REASONING_EFFORTS.map((effort) => [model.id, effort, CONTRACT[model.id].efforts.includes(effort)] as const));

    it.each(cases)('%s with %s: allowed %s', (model, reasoningEffort, allowed) => {
      if (allowed) {
        expect(create({ model, reasoningEffort }, { tier: 'enterprise' }).reasoningEffort).toBe(reasoningEffort);
      } else {
        expect(violations({ model, reasoningEffort }, { tier: 'enterprise' })).toEqual(['reasoningEffort:unsupported_reasoning_effort']);
      }
    });

    it('minimal is taken by gemini-3-flash only', () => {
      expect(create({ model: 'gemini-3-flash', reasoningEffort: 'minimal' }).reasoningEffort).toBe('minimal');
      for (const model of ['claude-opus-4-6', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'gemini-3-1-pro']) {
        expect(violations({ model, reasoningEffort: 'minimal' }, { tier: 'enterprise' })).toEqual(['reasoningEffort:unsupported_reasoning_effort']);
      }
    });

    it('any effort is taken by an external model', () => {
      fc.assert(
        fc.property(fc.constantFrom(...REASONING_EFFORTS), fc.constantFrom<Tier>('team', 'enterprise'), (reasoningEffort, tier) => {
          const agent = create({ model: 'external:openai:gpt-4o', reasoningEffort }, { tier, connectedProviders: ['openai'] });
          expect(agent.reasoningEffort).toBe(reasoningEffort);
        }),
      );
    });

    it.each(MODEL_CATALOG.map((model) => model.id))("omitted, is %s's default", (model) => {
      expect(create({ model }, { tier: 'enterprise' }).reasoningEffort).toBe(CONTRACT[model].defaultEffort);
      expect(create({ model, reasoningEffort: null }, { tier: 'enterprise' }).reasoningEffort).toBe(CONTRACT[model].defaultEffort);
    });

    it('omitted, is medium for an external model', () => {
      expect(create({ model: 'external:openai:gpt-4o' }, { tier: 'team', connectedProviders: ['openai'] }).reasoningEffort).toBe('medium');
    });

    it('must be a known effort', () => {
      expect(violations({ reasoningEffort: 'maximal' })).toEqual(['reasoningEffort:enum']);
      expect(violations({ reasoningEffort: 'HIGH' })).toEqual(['reasoningEffort:enum']);
    });
  });

  describe('skills', () => {
    it('are kept in the given order', () => {
      expect(create({ enabledSkills: ['web', 'deep_research', 'code-interpreter'] }).enabledSkills).toEqual(['web', 'deep_research', 'code-interpreter']);
    });

    it('may be up to 50 unique ids of the pattern', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/), { maxLength: LIMITS.skills }), (enabledSkills) => {
          expect(create({ enabledSkills }).enabledSkills).toEqual(enabledSkills);
        }),
      );
    });

    it('may not be more than 50, repeated, or outside the pattern', () => {
      expect(violations({ enabledSkills: Array.from({ length: 51 }, (_, i) => `s${i}`) })).toEqual(['enabledSkills:too_long']);
      expect(violations({ enabledSkills: ['web', 'web'] })).toEqual(['enabledSkills.1:duplicate_item']);
      expect(violations({ enabledSkills: ['Web'] })).toEqual(['enabledSkills.0:string_pattern_mismatch']);
    });
  });

  describe('deepResearchModel', () => {
    it.each(['gemini-3-flash-preview', 'gemini-3-pro-preview'])('%s is kept with deep_research enabled', (deepResearchModel) => {
      expect(create({ enabledSkills: ['deep_research'], deepResearchModel }).deepResearchModel).toBe(deepResearchModel);
    });

    it('is refused without deep_research', () => {
      expect(violations({ deepResearchModel: 'gemini-3-pro-preview' })).toEqual(['deepResearchModel:skill_required']);
      expect(violations({ deepResearchModel: 'gemini-3-pro-preview', enabledSkills: ['web'] })).toEqual(['deepResearchModel:skill_required']);
    });

    it('must be a deep research model', () => {
      expect(violations({ deepResearchModel: 'gemini-3-flash', enabledSkills: ['deep_research'] })).toEqual(['deepResearchModel:enum']);
    });
  });

  describe('free-form objects, binary and version', () => {
    it('keep metadata and config as given', () => {
      const agent = create({ metadata: { a: 1, b: [true, null], c: { d: 'e' } }, config: { retries: 3 } });
      expect(agent.metadata).toEqual({ a: 1, b: [true, null], c: { d: 'e' } });
      expect(agent.config).toEqual({ retries: 3 });
    });

    it('refuse metadata over 16 KiB or 64 keys, and config over 64 KiB', () => {
      expect(violations({ metadata: { k: 'x'.repeat(LIMITS.metadataBytes) } })).toEqual(['metadata:too_large']);
      expect(violations({ metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) })).toEqual(['metadata:too_many_keys']);
      expect(violations({ config: { k: 'x'.repeat(LIMITS.configBytes) } })).toEqual(['config:too_large']);
    });

    it('keeps the binary; refuses an empty path, too many or too long args', () => {
      expect(create({ binary: { path: '/bin/claude' } }).binary).toEqual({ path: '/bin/claude' });
      expect(violations({ binary: { path: '', args: [...Array.from({ length: 64 }, () => 'x'), 'a'.repeat(4_097)] } })).toEqual([
        'binary.path:string_length',
        'binary.args:too_long',
        'binary.args.64:string_too_long',
      ]);
    });

    it('keeps a given semantic version and refuses anything else', () => {
      expect(create({ version: '3.0.0-beta.1' }).version).toBe('3.0.0-beta.1');
      expect(violations({ version: '3.0' })).toEqual(['version:invalid_semver']);
    });
  });

  describe('internal flags', () => {
    it.each([
      ['isDefault', { isDefault: true }],
      ['isSystem', { isSystem: true }],
      ['both', { isDefault: true, isSystem: true }],
    ])('refuse %s set true by a non-internal actor', (_flag, flags) => {
      const error = refusal(flags);
      expect(error).toBeInstanceOf(InternalOnlyError);
      expect(error.code).toBe('internal_only');
      expect(error.message).toBe('Only an internal key may set isDefault or isSystem');
    });

    it('may be set false by anyone', () => {
      const agent = create({ isDefault: false, isSystem: false });
      expect(agent.isDefault).toBe(false);
      expect(agent.isSystem).toBe(false);
    });

    it('are set by an internal actor', () => {
      fc.assert(
        fc.property(fc.option(fc.boolean(), { nil: undefined }), fc.option(fc.boolean(), { nil: undefined }), (isDefault, isSystem) => {
          const agent = Agent.create(validInput({ isDefault, isSystem }), context({ actor: INTERNAL }));
          expect(agent.isDefault).toBe(isDefault === true);
          expect(agent.snapshot().isSystem).toBe(isSystem === true);
        }),
      );
    });
  });

  describe('user_id', () => {
    it("defaults to the actor's user", () => {
      expect(create().userId).toBe('usr_1');
      expect(create({}, { actor: INTERNAL }).userId).toBe('svc_runs');
    });

    it('may name the actor itself', () => {
      expect(create({ userId: 'usr_1' }).userId).toBe('usr_1');
    });

    it('may name another user only for an internal actor', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: LIMITS.userIdLength }).filter((user) => user !== 'usr_1'), (userId) => {
          const error = refusal({ userId });
          expect(error).toBeInstanceOf(InternalOnlyError);
          expect(error.code).toBe('internal_only');
          expect(error.message).toBe('Only an internal key may create an agent for another user');
          expect(create({ userId }, { actor: { userId: 'usr_1', internal: true } }).userId).toBe(userId);
        }),
      );
    });

    it('must be 1 to 128 characters', () => {
      expect(violations({ userId: '' }, { actor: INTERNAL })).toEqual(['user_id:string_length']);
      expect(violations({ userId: 'u'.repeat(129) }, { actor: INTERNAL })).toEqual(['user_id:string_length']);
    });
  });

  describe('the order of refusals', () => {
    it('reports the locked model before the internal flags and the foreign user', () => {
      expect(refusal({ model: 'claude-opus-4-6', isDefault: true, userId: 'usr_2' }, { tier: 'free' })).toBeInstanceOf(ModelLockedError);
    });

    it('reports the missing provider before the internal flags', () => {
      expect(refusal({ model: 'external:openai:gpt-4o', isSystem: true }, { tier: 'team' })).toBeInstanceOf(ProviderNotConnectedError);
    });

    it('reports the flags before the foreign user', () => {
      expect(refusal({ isDefault: true, userId: 'usr_2' }).message).toBe('Only an internal key may set isDefault or isSystem');
    });

    it('reports 422 violations before any 403 refusal', () => {
      const error = refusal(
        { model: 'claude-opus-4-6', reasoningEffort: 'minimal', name: ' ', isDefault: true, isSystem: true, userId: 'usr_2' },
        { tier: 'free' },
      );
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect((error as ValidationFailedError).violations.map((violation) => violation.path)).toEqual([['name'], ['reasoningEffort']]);
    });
  });

  describe('all 422 violations at once', () => {
    /** Each breaks one rule, independently of the others, and names what it breaks. */
    const BREAKERS: { override: Partial<NewAgent>; expected: string[] }[] = [
      { override: { id: '.hidden' }, expected: ['id:string_pattern_mismatch'] },
      { override: { name: '\u3000' }, expected: ['name:string_length'] },
      { override: { description: 'd'.repeat(LIMITS.descriptionLength + 1) }, expected: ['description:string_too_long'] },
      { override: { model: 'external:openai:%zz' }, expected: ['model:unknown_model'] },
      { override: { instructions: 'i'.repeat(LIMITS.instructionsLength + 1) }, expected: ['instructions:string_too_long'] },
      { override: { binary: { path: 'p'.repeat(LIMITS.binaryPathLength + 1), args: ['ok', 'a'.repeat(LIMITS.binaryArgLength + 1)] } }, expected: ['binary.path:string_length', 'binary.args.1:string_too_long'] },
      { override: { reasoningEffort: 'turbo' }, expected: ['reasoningEffort:enum'] },
      { override: { enabledSkills: ['web', 'Web', 'web'] }, expected: ['enabledSkills.1:string_pattern_mismatch', 'enabledSkills.2:duplicate_item'] },
      { override: { deepResearchModel: 'gemini-3-flash-preview' }, expected: ['deepResearchModel:skill_required'] },
      { override: { metadata: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, 'v'.repeat(250)])) }, expected: ['metadata:too_large', 'metadata:too_many_keys'] },
      { override: { config: { blob: 'c'.repeat(LIMITS.configBytes) } }, expected: ['config:too_large'] },
      { override: { version: '1.0.0.0' }, expected: ['version:invalid_semver'] },
      { override: { userId: 'u'.repeat(LIMITS.userIdLength + 1) }, expected: ['user_id:string_length'] },
    ];

    it('lists every broken rule of any combination in one ValidationFailedError, even where a 403 also applies', () => {
      fc.assert(
        fc.property(
          fc.subarray(BREAKERS, { minLength: 1 }),
          fc.constantFrom(...TIERS),
          fc.boolean(),
          (chosen, tier, internal) => {
            // A locked model and the internal flags would be 403s; the 422 must win.
            const input: Partial<NewAgent> = { model: 'claude-opus-4-6', isDefault: true, isSystem: true };
            for (const breaker of chosen) Object.assign(input, breaker.override);
            const error = refusal(input, { tier, actor: { userId: 'usr_1', internal } });
            expect(error).toBeInstanceOf(ValidationFailedError);
            const failed = error as ValidationFailedError;
            expect(failed.violations.map((violation) => `${violation.path.join('.')}:${violation.code}`).sort()).toEqual(chosen.flatMap((breaker) => breaker.expected).sort());
            expect(failed.message).toBe(`${failed.violations.length} invalid field(s)`);
          },
        ),
      );
    });

    it('lists the paths of all of them, in field order', () => {
      const input: Partial<NewAgent> = {};
      for (const breaker of BREAKERS) Object.assign(input, breaker.override);
      const error = refusal(input) as ValidationFailedError;
      expect(error.violations.map((violation) => violation.path)).toEqual([
        ['id'],
        ['name'],
        ['description'],
        ['model'],
        ['instructions'],
        ['binary', 'path'],
        ['binary', 'args', 1],
        ['reasoningEffort'],
        ['enabledSkills', 1],
        ['enabledSkills', 2],
        ['deepResearchModel'],
        ['metadata'],
        ['metadata'],
        ['config'],
        ['version'],
        ['user_id'],
      ]);
      expect(error.code).toBe('validation_failed');
      expect(error.name).toBe('ValidationFailedError');
    });
  });
});

describe('Agent.reconstitute', () => {
  it('rebuilds an agent from stored props without checking them again', () => {
    const props: AgentProps = {
      ...create({}, { tier: 'free' }),
      id: 'stored',
      projectId: 'prj_9',
      model: 'claude-opus-4-6', // locked on free today, but it was saved under another plan
      name: '   ',
      isDefault: true,
      revision: 7,
      lastRunAt: new Date('2026-12-01T00:00:00.000Z'),
    };
    const agent = Agent.reconstitute(props);
    expect(agent.snapshot()).toEqual(props);
    expect(agent.id).toBe('stored');
    expect(agent.projectId).toBe('prj_9');
    expect(agent.isDefault).toBe(true);
  });
});
