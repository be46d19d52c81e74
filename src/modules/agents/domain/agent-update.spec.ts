import fc from 'fast-check';
import { DomainError, ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { TIERS, tierReaches, type Tier } from '../../../shared/domain/tier.js';
import { Agent, type AgentPatch, type AgentProps, type ChangeContext } from './agent.js';
import { InternalOnlyError, ModelLockedError, ProviderNotConnectedError } from './agent.errors.js';
import { LIMITS } from './agent-rules.js';
import { configurationOf, type AgentConfiguration, type RecordedVersion } from './agent-version.js';
import { MODEL_CATALOG } from './model-catalog.js';
import { REASONING_EFFORTS } from './reasoning-effort.js';
import { compareSemver } from './semver.js';

// ---- factories -------------------------------------------------------------------------------

const CREATED = new Date('2026-11-22T10:00:00.000Z');
const NOW = new Date('2026-11-23T08:30:00.000Z');
const MEMBER = { userId: 'usr_1', internal: false } as const;
const INTERNAL = { userId: 'svc_runs', internal: true } as const;

/** A stored agent, as the repository would hand it out. */
function props(overrides: Partial<AgentProps> = {}): AgentProps {
  return {
    id: 'support-bot',
    projectId: 'prj_1',
    userId: 'usr_1',
    name: 'Support bot',
    description: 'Answers billing questions',
    model: 'claude-sonnet-4-5',
    instructions: 'Answer in one paragraph.',
    binary: { path: '/usr/local/bin/claude', args: ['--verbose', '--json'] },
    reasoningEffort: 'medium',
    enabledSkills: ['web', 'code'],
    deepResearchModel: null,
    isDefault: false,
    isSystem: false,
    isActive: true,
    metadata: { team: 'support', nested: { a: 1, b: 2 } },
    config: { temperature: 0.2, tools: { web: { enabled: true, depth: 2 } } },
    version: '1.0.0',
    revision: 1,
    createdAt: CREATED,
    updatedAt: CREATED,
    lastRunAt: null,
    ...overrides,
  };
}

function agentWith(overrides: Partial<AgentProps> = {}): Agent {
  return Agent.reconstitute(props(overrides));
}

function context(overrides: Partial<ChangeContext> = {}): ChangeContext {
  return { actor: MEMBER, tier: 'free', connectedProviders: [], now: NOW, ...overrides };
}

/** The agent after `patch`; fails the test when the update throws. */
function updated(patch: AgentPatch, stored: Partial<AgentProps> = {}, ctx: Partial<ChangeContext> = {}): AgentProps {
  const agent = agentWith(stored);
  agent.update(patch, context(ctx));
  return agent.snapshot();
}

/** The error Agent#update throws; fails the test when it throws nothing or changes the agent. */
function refusal(patch: AgentPatch, stored: Partial<AgentProps> = {}, ctx: Partial<ChangeContext> = {}): DomainError {
  const agent = agentWith(stored);
  const before = agent.snapshot();
  try {
    agent.update(patch, context(ctx));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(agent.snapshot()).toBe(before);
    expect(agent.recordedVersion).toBeNull();
    return error;
  }
  throw new Error('Agent#update accepted the patch');
}

/** The "path:code" list of the ValidationFailedError an update throws. */
function violations(patch: AgentPatch, stored: Partial<AgentProps> = {}, ctx: Partial<ChangeContext> = {}): string[] {
  const error = refusal(patch, stored, ctx);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).violations.map((violation) => `${violation.path.join('.')}:${violation.code}`);
}

function versionOf(agent: Agent, configuration: AgentConfiguration = agent.configuration()): RecordedVersion {
  return { projectId: agent.projectId, agentId: agent.id, version: agent.version, configuration, createdAt: NOW };
}

/** What no PATCH can touch. */
const FIXED = ['id', 'projectId', 'userId', 'createdAt', 'lastRunAt'] as const;

/** One valid change of every field a member may patch, applied to `props()` (deep_research enabled there). */
const CHANGES = {
  name: { patch: '  Billing bot ', stored: 'Billing bot' },
  description: { patch: 'Answers refund questions', stored: 'Answers refund questions' },
  model: { patch: 'claude-haiku-4-5', stored: 'claude-haiku-4-5' },
  instructions: { patch: 'Cite the invoice.', stored: 'Cite the invoice.' },
  binary: { patch: { path: '/opt/claude' }, stored: { path: '/opt/claude' } },
  reasoningEffort: { patch: 'high', stored: 'high' },
  enabledSkills: { patch: ['deep_research', 'files'], stored: ['deep_research', 'files'] },
  deepResearchModel: { patch: 'gemini-3-flash-preview', stored: 'gemini-3-flash-preview' },
  metadata: { patch: { team: null, owner: 'ops' }, stored: { nested: { a: 1, b: 2 }, owner: 'ops' } },
  config: { patch: { tools: { web: { depth: 5 } } }, stored: { temperature: 0.2, tools: { web: { enabled: true, depth: 5 } } } },
  isActive: { patch: false, stored: false },
} as const;
type ChangedField = keyof typeof CHANGES;
const CHANGED_FIELDS = Object.keys(CHANGES) as ChangedField[];
const CONFIGURATION_FIELDS = ['name', 'description', 'model', 'instructions', 'binary', 'reasoningEffort', 'enabledSkills', 'deepResearchModel', 'config'] as const;
const DEEP_RESEARCH_AGENT: Partial<AgentProps> = { enabledSkills: ['deep_research', 'web'], deepResearchModel: 'gemini-3-pro-preview' };

// ---- Agent#update ----------------------------------------------------------------------------

describe('Agent#update', () => {
  describe('omitted fields', () => {
    it('keeps every field the patch omits, and applies every field it gives', () => {
      fc.assert(
        fc.property(fc.subarray(CHANGED_FIELDS), (fields) => {
          const patch = Object.fromEntries(fields.map((field) => [field, CHANGES[field].patch])) as AgentPatch;
          const before = props(DEEP_RESEARCH_AGENT);
          const after = updated(patch, DEEP_RESEARCH_AGENT);
          for (const field of CHANGED_FIELDS) {
            expect(after[field]).toEqual(fields.includes(field) ? CHANGES[field].stored : before[field]);
          }
          for (const field of FIXED) expect(after[field]).toEqual(before[field]);
          expect(after.isDefault).toBe(false);
          expect(after.isSystem).toBe(false);
        }),
      );
    });

    it('changes only the name, the version, the revision and updatedAt for a rename', () => {
      expect(updated({ name: 'Billing bot' })).toEqual({ ...props(), name: 'Billing bot', version: '1.0.1', revision: 2, updatedAt: NOW });
    });

    it('keeps a field given as undefined (omitted)', () => {
      const patch: AgentPatch = { description: undefined, binary: undefined, metadata: undefined, config: undefined, reasoningEffort: undefined };
      const agent = agentWith();
      const before = agent.snapshot();
      agent.update(patch, context());
      expect(agent.snapshot()).toBe(before);
    });
  });

  describe('null', () => {
    it.each([
      ['description', null],
      ['instructions', null],
      ['binary', null],
    ] as const)('clears %s', (field, cleared) => {
      const after = updated({ [field]: null });
      expect(after[field]).toBe(cleared);
      expect(after.version).toBe('1.0.1');
    });

    it('clears deepResearchModel', () => {
      expect(updated({ deepResearchModel: null }, DEEP_RESEARCH_AGENT).deepResearchModel).toBeNull();
    });

    it('empties enabledSkills, metadata and config', () => {
      const after = updated({ enabledSkills: null, metadata: null, config: null });
      expect(after.enabledSkills).toEqual([]);
      expect(after.metadata).toEqual({});
      expect(after.config).toEqual({});
    });

    it.each(MODEL_CATALOG.map((model) => [model.id, model.defaultReasoningEffort] as const))(
      "resets reasoningEffort to %s's default (%s)",
      (model, defaultEffort) => {
        const effort = MODEL_CATALOG.find((m) => m.id === model)!.reasoningEfforts.find((e) => e !== defaultEffort)!;
        expect(updated({ reasoningEffort: null }, { model, reasoningEffort: effort }).reasoningEffort).toBe(defaultEffort);
      },
    );

    it('resets reasoningEffort to medium on an external model', () => {
      const model = 'external:openai:gpt-5';
      expect(updated({ reasoningEffort: null }, { model, reasoningEffort: 'minimal' }, { tier: 'team', connectedProviders: ['openai'] }).reasoningEffort).toBe('medium');
    });

    it.each(['name', 'model', 'isDefault', 'isSystem', 'isActive'] as const)('is refused on %s (null_not_allowed)', (field) => {
      expect(violations({ [field]: null }, {}, { actor: INTERNAL })).toEqual([`${field}:null_not_allowed`]);
    });

    it('is refused on every required field at once, with the messages', () => {
      const error = refusal({ name: null, model: null, isDefault: null, isSystem: null, isActive: null }) as ValidationFailedError;
      expect(error.violations).toEqual([
        { path: ['name'], code: 'null_not_allowed', message: 'name cannot be null' },
        { path: ['model'], code: 'null_not_allowed', message: 'model cannot be null' },
        { path: ['isDefault'], code: 'null_not_allowed', message: 'isDefault cannot be null' },
        { path: ['isSystem'], code: 'null_not_allowed', message: 'isSystem cannot be null' },
        { path: ['isActive'], code: 'null_not_allowed', message: 'isActive cannot be null' },
      ]);
    });
  });

  describe('id', () => {
    it('cannot change (422 immutable)', () => {
      const error = refusal({ id: 'other-bot' }) as ValidationFailedError;
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect(error.violations).toEqual([{ path: ['id'], code: 'immutable', message: 'The id of an agent cannot change' }]);
      expect(violations({ id: null })).toEqual(['id:immutable']);
    });

    it('cannot change to any other id, whatever else the patch holds', () => {
      fc.assert(
        fc.property(fc.string().filter((id) => id !== 'support-bot'), fc.subarray(CHANGED_FIELDS), (id, fields) => {
          const patch = Object.fromEntries(fields.map((field) => [field, CHANGES[field].patch]));
          expect(violations({ ...patch, id }, DEEP_RESEARCH_AGENT)).toEqual(['id:immutable']);
        }),
      );
    });

    it('may be given as the current one', () => {
      const agent = agentWith();
      const before = agent.snapshot();
      agent.update({ id: 'support-bot' }, context());
      expect(agent.snapshot()).toBe(before);
      expect(updated({ id: 'support-bot', name: 'Renamed' })).toMatchObject({ id: 'support-bot', name: 'Renamed', version: '1.0.1' });
    });

    it('is reported with every other violation', () => {
      expect(violations({ id: 'x', name: ' ', reasoningEffort: 'turbo' })).toEqual(['id:immutable', 'name:string_length', 'reasoningEffort:enum']);
    });
  });

  describe('arrays', () => {
    it('replace enabledSkills whole, never merged', () => {
      expect(updated({ enabledSkills: ['files'] }).enabledSkills).toEqual(['files']);
      expect(updated({ enabledSkills: ['code', 'web'] }).enabledSkills).toEqual(['code', 'web']);
      expect(updated({ enabledSkills: [] }).enabledSkills).toEqual([]);
    });

    it('replace enabledSkills with any valid list', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/), { maxLength: LIMITS.skills }), (enabledSkills) => {
          expect(updated({ enabledSkills }).enabledSkills).toEqual(enabledSkills);
        }),
      );
    });

    it('replace the binary whole, its args included', () => {
      expect(updated({ binary: { path: '/opt/claude' } }).binary).toEqual({ path: '/opt/claude' });
      expect(updated({ binary: { path: '/opt/claude', args: ['-q'] } }).binary).toEqual({ path: '/opt/claude', args: ['-q'] });
    });

    it('inside metadata and config are replaced whole too', () => {
      const after = updated({ metadata: { tags: ['b'] }, config: { steps: [{ id: 2 }] } }, { metadata: { tags: ['a', 'c'] }, config: { steps: [{ id: 1, x: 1 }] } });
      expect(after.metadata).toEqual({ tags: ['b'] });
      expect(after.config).toEqual({ steps: [{ id: 2 }] });
    });
  });

  describe('metadata and config merge patches', () => {
    it.each(['metadata', 'config'] as const)('%s: adds, replaces, and deletes keys with null, nested too', (field) => {
      const stored = { keep: 'k', replace: 1, drop: true, deep: { a: { x: 1, y: 2 }, b: [1, 2] }, scalar: 'becomes an object' };
      const after = updated({ [field]: { replace: 2, drop: null, add: { z: null, w: 0 }, deep: { a: { x: null }, c: 'new' }, scalar: { now: 'object' }, absent: null } }, { [field]: stored });
      expect(after[field]).toEqual({ keep: 'k', replace: 2, deep: { a: { y: 2 }, b: [1, 2], c: 'new' }, scalar: { now: 'object' }, add: { w: 0 } });
    });

    it('does not touch the stored objects', () => {
      const metadata = { team: 'support', nested: { a: 1, b: 2 } };
      const agent = agentWith({ metadata });
      agent.update({ metadata: { nested: { a: null } } }, context());
      expect(agent.snapshot().metadata).toEqual({ team: 'support', nested: { b: 2 } });
      expect(metadata).toEqual({ team: 'support', nested: { a: 1, b: 2 } });
    });

    it('deletes every key the patch sets to null and keeps every key it omits', () => {
      const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
      const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean());
      fc.assert(
        fc.property(fc.dictionary(key, leaf), fc.dictionary(key, fc.option(leaf, { nil: null })), (metadata, patch) => {
          const after = updated({ metadata: patch }, { metadata }).metadata;
          for (const [name, value] of Object.entries(patch)) {
            if (value === null) expect(Object.hasOwn(after, name)).toBe(false);
            else expect(after[name]).toBe(value);
          }
          for (const [name, value] of Object.entries(metadata)) {
            if (!Object.hasOwn(patch, name)) expect(after[name]).toBe(value);
          }
        }),
      );
    });

    it('changes no version for metadata, a new one for config', () => {
      expect(updated({ metadata: { owner: 'ops' } }).version).toBe('1.0.0');
      expect(updated({ config: { retries: 3 } }).version).toBe('1.0.1');
    });
  });

  describe('every rule, checked again on the result', () => {
    it.each([
      [{ name: '   ' }, ['name:string_length']],
      [{ name: 'n'.repeat(256) }, ['name:string_length']],
      [{ description: 'd'.repeat(LIMITS.descriptionLength + 1) }, ['description:string_too_long']],
      [{ model: 'gpt-4o' }, ['model:unknown_model']],
      [{ model: 'external:openai:%zz' }, ['model:unknown_model']],
      [{ instructions: 'i'.repeat(LIMITS.instructionsLength + 1) }, ['instructions:string_too_long']],
      [{ binary: { path: '' } }, ['binary.path:string_length']],
      [{ reasoningEffort: 'turbo' }, ['reasoningEffort:enum']],
      [{ reasoningEffort: 'minimal' }, ['reasoningEffort:unsupported_reasoning_effort']],
      [{ enabledSkills: ['web', 'web'] }, ['enabledSkills.1:duplicate_item']],
      [{ enabledSkills: ['Web'] }, ['enabledSkills.0:string_pattern_mismatch']],
      [{ deepResearchModel: 'gemini-3-flash-preview' }, ['deepResearchModel:skill_required']],
      [{ deepResearchModel: 'gemini-3-flash', enabledSkills: ['deep_research'] }, ['deepResearchModel:enum']],
      [{ config: { blob: 'c'.repeat(LIMITS.configBytes) } }, ['config:too_large']],
      [{ version: '1.1' }, ['version:invalid_semver']],
    ] as [AgentPatch, string[]][])('%j is refused with %j', (patch, expected) => {
      expect(violations(patch)).toEqual(expected);
    });

    it('judges the merged metadata, not the patch alone', () => {
      const metadata = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
      expect(violations({ metadata: { x1: 1, x2: 2, x3: 3, x4: 4, x5: 5 } }, { metadata })).toEqual(['metadata:too_many_keys']);
      expect(updated({ metadata: { k0: null, x1: 1, x2: 2, x3: 3, x4: 4 } }, { metadata }).metadata).toEqual({ ...metadata, k0: undefined, x1: 1, x2: 2, x3: 3, x4: 4 });
      const big = { blob: 'b'.repeat(10 * 1024) };
      expect(violations({ metadata: { more: 'm'.repeat(7 * 1024) } }, { metadata: big })).toEqual(['metadata:too_large']);
    });

    it('judges the merged config, not the patch alone', () => {
      const config = { blob: 'c'.repeat(40 * 1024) };
      expect(violations({ config: { more: 'm'.repeat(30 * 1024) } }, { config })).toEqual(['config:too_large']);
      expect(updated({ config: { blob: null, more: 'm'.repeat(30 * 1024) } }, { config }).config).toEqual({ more: 'm'.repeat(30 * 1024) });
    });

    it('judges fields the patch does not name (a stored agent that no longer passes)', () => {
      expect(violations({ metadata: { owner: 'ops' } }, { name: '  ' })).toEqual(['name:string_length']);
      expect(violations({ isActive: false }, { model: 'retired-model' })).toEqual(['model:unknown_model']);
    });

    it('lists every problem of the patch at once', () => {
      expect(
        violations({ id: 'other', name: null, model: 'gpt-4o', reasoningEffort: 'turbo', enabledSkills: ['x', 'x'], deepResearchModel: 'gemini-3-pro-preview', version: 'v2' }),
      ).toEqual([
        'id:immutable',
        'name:null_not_allowed',
        'model:unknown_model',
        'reasoningEffort:enum',
        'enabledSkills.1:duplicate_item',
        'deepResearchModel:skill_required',
        'version:invalid_semver',
      ]);
    });
  });

  describe('model and reasoning effort', () => {
    it('refuses a model lacking the current effort, unless the patch sets a supported one', () => {
      const stored = { model: 'gemini-3-flash', reasoningEffort: 'minimal' } as const;
      expect(violations({ model: 'claude-sonnet-4-5' }, stored)).toEqual(['reasoningEffort:unsupported_reasoning_effort']);
      expect(updated({ model: 'claude-sonnet-4-5', reasoningEffort: 'low' }, stored)).toMatchObject({ model: 'claude-sonnet-4-5', reasoningEffort: 'low' });
      expect(violations({ model: 'claude-sonnet-4-5', reasoningEffort: 'minimal' }, stored)).toEqual(['reasoningEffort:unsupported_reasoning_effort']);
    });

    it("resets a null reasoningEffort to the new model's default", () => {
      expect(updated({ model: 'claude-haiku-4-5', reasoningEffort: null }, { model: 'gemini-3-flash', reasoningEffort: 'minimal' }).reasoningEffort).toBe('low');
      expect(updated({ model: 'gemini-3-flash', reasoningEffort: null }).reasoningEffort).toBe('high');
      expect(
        updated({ model: 'external:openai:gpt-5', reasoningEffort: null }, { reasoningEffort: 'high' }, { tier: 'team', connectedProviders: ['openai'] }).reasoningEffort,
      ).toBe('medium');
    });

    it('keeps the current effort across models that support it, and refuses it across models that do not', () => {
      const efforts = fc.constantFrom(...MODEL_CATALOG).chain((from) => fc.tuple(fc.constant(from), fc.constantFrom(...from.reasoningEfforts), fc.constantFrom(...MODEL_CATALOG)));
      fc.assert(
        fc.property(efforts, ([from, effort, to]) => {
          const stored = { model: from.id, reasoningEffort: effort };
          if (to.reasoningEfforts.includes(effort)) {
            expect(updated({ model: to.id }, stored, { tier: 'enterprise' })).toMatchObject({ model: to.id, reasoningEffort: effort });
          } else {
            expect(violations({ model: to.id }, stored, { tier: 'enterprise' })).toEqual(['reasoningEffort:unsupported_reasoning_effort']);
            expect(updated({ model: to.id, reasoningEffort: null }, stored, { tier: 'enterprise' }).reasoningEffort).toBe(to.defaultReasoningEffort);
          }
        }),
      );
    });

    it('takes any effort on an external model', () => {
      fc.assert(
        fc.property(fc.constantFrom(...REASONING_EFFORTS), (reasoningEffort) => {
          const after = updated({ model: 'external:openrouter:meta-llama%2Fllama-3.1-70b', reasoningEffort }, {}, { tier: 'enterprise', connectedProviders: ['openrouter'] });
          expect(after.reasoningEffort).toBe(reasoningEffort);
        }),
      );
    });
  });

  describe('deep research', () => {
    it('refuses removing deep_research while deepResearchModel is set', () => {
      expect(violations({ enabledSkills: ['web'] }, DEEP_RESEARCH_AGENT)).toEqual(['deepResearchModel:skill_required']);
      expect(violations({ enabledSkills: null }, DEEP_RESEARCH_AGENT)).toEqual(['deepResearchModel:skill_required']);
    });

    it('allows it when the same patch clears deepResearchModel', () => {
      expect(updated({ enabledSkills: ['web'], deepResearchModel: null }, DEEP_RESEARCH_AGENT)).toMatchObject({ enabledSkills: ['web'], deepResearchModel: null });
    });

    it('allows setting deepResearchModel with the skill enabled now or in the same patch', () => {
      expect(updated({ deepResearchModel: 'gemini-3-flash-preview' }, { enabledSkills: ['deep_research'] }).deepResearchModel).toBe('gemini-3-flash-preview');
      expect(updated({ enabledSkills: ['deep_research'], deepResearchModel: 'gemini-3-pro-preview' })).toMatchObject({ enabledSkills: ['deep_research'], deepResearchModel: 'gemini-3-pro-preview' });
    });
  });

  describe('tier gating', () => {
    const cases = MODEL_CATALOG.flatMap((model) => TIERS.map((tier) => [model.id, tier, tierReaches(tier, model.requiredTier)] as const));

    it.each(cases)('switching to %s in a %s workspace: allowed %s', (model, tier, allowed) => {
      const stored = { model: 'claude-sonnet-4-5', reasoningEffort: 'high' } as const; // every model takes high
      if (model === stored.model || allowed) {
        expect(updated({ model }, stored, { tier }).model).toBe(model);
      } else {
        const error = refusal({ model }, stored, { tier });
        expect(error).toBeInstanceOf(ModelLockedError);
        expect(error.code).toBe('model_locked');
      }
    });

    it('locks claude-opus-4-6 for a free workspace', () => {
      const error = refusal({ model: 'claude-opus-4-6' }, {}, { tier: 'free' });
      expect(error).toBeInstanceOf(ModelLockedError);
      expect(error.message).toBe('The model claude-opus-4-6 needs the pro tier or above');
    });

    it('does not judge a model that stays, even one the tier no longer reaches', () => {
      const stored = { model: 'claude-opus-4-6', reasoningEffort: 'high' } as const;
      expect(updated({ name: 'Downgraded' }, stored, { tier: 'free' })).toMatchObject({ name: 'Downgraded', model: 'claude-opus-4-6' });
      expect(updated({ model: 'claude-opus-4-6', instructions: 'Still here' }, stored, { tier: 'free' })).toMatchObject({ model: 'claude-opus-4-6', instructions: 'Still here' });
    });

    it('reports 422 problems before the locked model', () => {
      expect(violations({ model: 'claude-opus-4-6', name: null }, {}, { tier: 'free' })).toEqual(['name:null_not_allowed']);
    });

    it('reports the locked model before the internal flags', () => {
      expect(refusal({ model: 'claude-opus-4-6', isDefault: true }, {}, { tier: 'free' })).toBeInstanceOf(ModelLockedError);
    });
  });

  describe('external models', () => {
    const model = 'external:openrouter:meta-llama%2Fllama-3.1-70b';

    it.each(['team', 'enterprise'] as const)('may be switched to in a %s workspace that connected the provider', (tier) => {
      expect(updated({ model }, {}, { tier, connectedProviders: ['openrouter'] })).toMatchObject({ model, reasoningEffort: 'medium', version: '1.0.1' });
    });

    it.each(['free', 'pro'] as const)('are locked in a %s workspace', (tier) => {
      const error = refusal({ model }, {}, { tier, connectedProviders: ['openrouter'] });
      expect(error).toBeInstanceOf(ModelLockedError);
      expect(error.message).toBe(`The model ${model} needs the team tier or above`);
    });

    it('need the provider connected', () => {
      for (const connectedProviders of [[], ['openai'], ['OpenRouter']]) {
        const error = refusal({ model }, {}, { tier: 'team', connectedProviders });
        expect(error).toBeInstanceOf(ProviderNotConnectedError);
        expect(error.code).toBe('provider_not_connected');
      }
    });

    it('are not judged again while they stay (a provider disconnected since)', () => {
      expect(updated({ name: 'Renamed', model }, { model }, { tier: 'free', connectedProviders: [] })).toMatchObject({ name: 'Renamed', model });
    });

    it('switching away from one needs nothing of the provider', () => {
      expect(updated({ model: 'claude-haiku-4-5' }, { model, reasoningEffort: 'low' }, { tier: 'free' }).model).toBe('claude-haiku-4-5');
    });
  });

  describe('isDefault and isSystem', () => {
    it.each([
      [{ isDefault: true }, {}],
      [{ isSystem: true }, {}],
      [{ isDefault: false }, { isDefault: true }],
      [{ isSystem: false }, { isSystem: true }],
    ] as [AgentPatch, Partial<AgentProps>][])('%j on %j needs an internal actor', (patch, stored) => {
      const error = refusal(patch, stored);
      expect(error).toBeInstanceOf(InternalOnlyError);
      expect(error.code).toBe('internal_only');
      expect(error.message).toBe('Only an internal key may change isDefault or isSystem');
      expect(updated(patch, stored, { actor: INTERNAL })).toMatchObject({ ...stored, ...patch, revision: 2 });
    });

    it('may be restated unchanged by anyone', () => {
      fc.assert(
        fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (isDefault, isSystem, sayDefault, saySystem) => {
          const patch: AgentPatch = { ...(sayDefault ? { isDefault } : {}), ...(saySystem ? { isSystem } : {}) };
          const agent = agentWith({ isDefault, isSystem });
          const before = agent.snapshot();
          agent.update(patch, context());
          expect(agent.snapshot()).toBe(before);
        }),
      );
    });

    it('change for an internal actor, as a change without a version', () => {
      fc.assert(
        fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (isDefault, isSystem, toDefault, toSystem) => {
          const agent = agentWith({ isDefault, isSystem });
          agent.update({ isDefault: toDefault, isSystem: toSystem }, context({ actor: INTERNAL }));
          const changed = isDefault !== toDefault || isSystem !== toSystem;
          expect(agent.snapshot()).toMatchObject({ isDefault: toDefault, isSystem: toSystem, version: '1.0.0', revision: changed ? 2 : 1 });
          expect(agent.recordedVersion).toBeNull();
        }),
      );
    });
  });

  describe('versions', () => {
    it.each(CONFIGURATION_FIELDS)('a change of %s records the next patch version', (field) => {
      const agent = agentWith(DEEP_RESEARCH_AGENT);
      agent.update({ [field]: CHANGES[field].patch }, context());
      expect(agent.version).toBe('1.0.1');
      expect(agent.snapshot()).toMatchObject({ [field]: CHANGES[field].stored, revision: 2, updatedAt: NOW });
      expect(agent.recordedVersion).toEqual({ projectId: 'prj_1', agentId: 'support-bot', version: '1.0.1', configuration: agent.configuration(), createdAt: NOW });
      expect(agent.recordedVersion!.configuration[field]).toEqual(CHANGES[field].stored);
    });

    it.each([
      ['1.0.0', '1.0.1'],
      ['2.3.9', '2.3.10'],
      ['0.0.0', '0.0.1'],
      ['1.1.0-rc.1', '1.1.0'],
      ['1.2.3+build.7', '1.2.4'],
    ])('bumps %s to %s', (version, next) => {
      expect(updated({ name: 'Renamed' }, { version }).version).toBe(next);
    });

    it('takes a version the client names, when strictly greater', () => {
      for (const version of ['1.0.1', '1.1.0', '2.0.0', '1.0.1-rc.1', '2.0.0-alpha', '10.0.0+build.1']) {
        const agent = agentWith();
        agent.update({ name: 'Renamed', version }, context());
        expect(agent.version).toBe(version);
        expect(agent.recordedVersion).toMatchObject({ version, configuration: { name: 'Renamed' } });
      }
    });

    it.each([
      ['1.0.0', '1.0.0'],
      ['1.0.0', '0.9.9'],
      ['1.0.0', '1.0.0+build.2'],
      ['1.0.0', '1.0.0-rc.1'],
      ['1.0.1', '1.0.1-rc.1'],
      ['1.0.1-rc.2', '1.0.1-rc.1'],
      ['1.0.1-rc.1', '1.0.1-beta'],
      ['2.0.0', '1.99.99'],
    ])('refuses, from %s, the version %s (version_not_greater)', (current, version) => {
      const error = refusal({ name: 'Renamed', version }, { version: current }) as ValidationFailedError;
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect(error.violations).toEqual([{ path: ['version'], code: 'version_not_greater', message: `version must be greater than the current ${current}` }]);
    });

    it('accepts exactly the semantic versions of higher precedence', () => {
      const numeric = fc.integer({ min: 0, max: 3 }).map(String);
      const pre = fc.option(fc.array(fc.oneof(numeric, fc.constantFrom('alpha', 'beta', 'rc')), { minLength: 1, maxLength: 2 }), { nil: undefined });
      const version = fc
        .tuple(numeric, numeric, numeric, pre)
        .map(([major, minor, patch, prerelease]) => `${major}.${minor}.${patch}${prerelease ? `-${prerelease.join('.')}` : ''}`);
      fc.assert(
        fc.property(version, version, (current, named) => {
          if (compareSemver(named, current) > 0) {
            expect(updated({ description: 'x', version: named }, { version: current }).version).toBe(named);
          } else {
            expect(violations({ description: 'x', version: named }, { version: current })).toEqual(['version:version_not_greater']);
          }
        }),
      );
    });

    it('reports a malformed version as invalid_semver only', () => {
      for (const version of ['2', 'v2.0.0', '2.0.0.0', '']) {
        expect(violations({ version }, {})).toEqual(['version:invalid_semver']);
      }
    });

    it('records a named version even when the configuration stays', () => {
      const agent = agentWith();
      agent.update({ version: '1.1.0' }, context());
      expect(agent.snapshot()).toMatchObject({ version: '1.1.0', revision: 2 });
      expect(agent.recordedVersion).toEqual({ projectId: 'prj_1', agentId: 'support-bot', version: '1.1.0', configuration: configurationOf(props()), createdAt: NOW });
    });

    it.each([
      ['metadata', { metadata: { owner: 'ops' } }],
      ['isActive', { isActive: false }],
      ['metadata and isActive', { metadata: { team: null }, isActive: false }],
    ] as [string, AgentPatch][])('a %s-only change moves the revision and records no version', (_what, patch) => {
      const agent = agentWith();
      const tag = agent.entityTag;
      agent.update(patch, context());
      expect(agent.snapshot()).toMatchObject({ version: '1.0.0', revision: 2, updatedAt: NOW });
      expect(agent.recordedVersion).toBeNull();
      expect(agent.entityTag).not.toBe(tag);
    });

    it('forgets the version of the creation once an update records none', () => {
      const agent = Agent.create({ name: 'Bot', model: 'claude-haiku-4-5' }, { ...context({ now: CREATED }), projectId: 'prj_1' });
      expect(agent.recordedVersion).toMatchObject({ version: '1.0.0' });
      agent.update({ isActive: false }, context());
      expect(agent.recordedVersion).toBeNull();
      agent.update({ name: 'Bot 2' }, context());
      expect(agent.recordedVersion).toMatchObject({ version: '1.0.1', configuration: { name: 'Bot 2' } });
    });

    it.each([
      ['an empty patch', {}],
      ['the same id', { id: 'support-bot' }],
      ['the same name', { name: 'Support bot' }],
      ['the same name, padded', { name: ' \tSupport bot  ' }],
      ['the same model and effort', { model: 'claude-sonnet-4-5', reasoningEffort: 'medium' }],
      ['a null effort that is already the default', { reasoningEffort: null }],
      ['the same skills', { enabledSkills: ['web', 'code'] }],
      ['the same binary', { binary: { path: '/usr/local/bin/claude', args: ['--verbose', '--json'] } }],
      ['an empty merge patch', { metadata: {}, config: {} }],
      ['the same values in the merge patch', { metadata: { team: 'support', nested: { a: 1 } }, config: { tools: { web: { depth: 2 } } } }],
      ['a null for an absent key', { metadata: { absent: null }, config: { tools: { absent: null } } }],
      ['the same flags', { isDefault: false, isSystem: false, isActive: true }],
    ] as [string, AgentPatch][])('a no-op patch (%s) changes nothing', (_what, patch) => {
      const agent = agentWith();
      const before = agent.snapshot();
      const tag = agent.entityTag;
      agent.update(patch, context());
      expect(agent.snapshot()).toBe(before);
      expect(agent.snapshot()).toEqual(props());
      expect(agent.entityTag).toBe(tag);
      expect(agent.recordedVersion).toBeNull();
    });

    it('forgets the version of the creation after a no-op patch too', () => {
      const agent = Agent.create({ name: 'Bot', model: 'claude-haiku-4-5' }, { ...context({ now: CREATED }), projectId: 'prj_1' });
      const before = agent.snapshot();
      agent.update({ name: 'Bot' }, context());
      expect(agent.snapshot()).toBe(before);
      expect(agent.recordedVersion).toBeNull();
    });

    /** A random valid change: a configuration one, a named version, or one that records none. */
    const change: fc.Arbitrary<(version: string) => AgentPatch> = fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0).map((name) => () => ({ name })),
      fc.integer().map((n) => () => ({ config: { n } })),
      fc.constantFrom('low', 'medium', 'high').map((reasoningEffort) => () => ({ reasoningEffort })),
      fc.integer().map((n) => () => ({ metadata: { n } })),
      fc.boolean().map((isActive) => () => ({ isActive })),
      fc.constantFrom('minor', 'major', 'pre').map((kind) => (current: string) => {
        const [major, minor, patch] = current.split(/[.+-]/).map(Number);
        const version = kind === 'major' ? `${major + 1}.0.0` : kind === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}-rc.1`;
        return { version, description: version };
      }),
    );

    it('numbers the versions of N successive changes in strictly increasing order, the revision one by one, each entity tag new', () => {
      fc.assert(
        fc.property(fc.array(change, { minLength: 1, maxLength: 25 }), (changes) => {
          const agent = agentWith();
          const versions = ['1.0.0'];
          const tags = new Set([agent.entityTag]);
          let revision = 1;
          for (const next of changes) {
            const before = agent.snapshot();
            agent.update(next(agent.version), context());
            if (agent.snapshot() === before) {
              expect(agent.recordedVersion).toBeNull();
              continue;
            }
            expect(agent.snapshot().revision).toBe(++revision);
            expect(tags.has(agent.entityTag)).toBe(false);
            tags.add(agent.entityTag);
            if (agent.recordedVersion) {
              expect(agent.recordedVersion.version).toBe(agent.version);
              expect(agent.recordedVersion.configuration).toEqual(agent.configuration());
              versions.push(agent.version);
            } else {
              expect(agent.version).toBe(versions.at(-1));
            }
          }
          for (let i = 1; i < versions.length; i++) expect(compareSemver(versions[i - 1], versions[i])).toBeLessThan(0);
        }),
      );
    });
  });

  describe('entity tag', () => {
    it('is made of the creation time and the revision', () => {
      expect(agentWith().entityTag).toBe(`${CREATED.getTime().toString(36)}-1`);
      expect(agentWith({ revision: 41 }).entityTag).toBe(`${CREATED.getTime().toString(36)}-41`);
    });

    it('changes on every kind of change', () => {
      for (const field of CHANGED_FIELDS) {
        const agent = agentWith(DEEP_RESEARCH_AGENT);
        const tag = agent.entityTag;
        agent.update({ [field]: CHANGES[field].patch }, context());
        expect(agent.entityTag).toBe(`${CREATED.getTime().toString(36)}-2`);
        expect(agent.entityTag).not.toBe(tag);
      }
    });
  });

  describe('refusals change nothing', () => {
    it.each([
      ['a 422', { name: '' }, {}, ValidationFailedError],
      ['a locked model', { name: 'x', model: 'claude-opus-4-6' }, {}, ModelLockedError],
      ['a missing provider', { name: 'x', model: 'external:openai:gpt-5' }, { tier: 'team' }, ProviderNotConnectedError],
      ['an internal flag', { name: 'x', metadata: { a: 1 }, isSystem: true }, {}, InternalOnlyError],
    ] as [string, AgentPatch, Partial<ChangeContext>, new (...args: never[]) => DomainError][])('after %s', (_what, patch, ctx, type) => {
      const agent = Agent.create({ name: 'Bot', model: 'claude-haiku-4-5' }, { ...context({ now: CREATED }), projectId: 'prj_1' });
      const before = agent.snapshot();
      const recorded = agent.recordedVersion;
      const tag = agent.entityTag;
      expect(() => agent.update(patch, context(ctx))).toThrow(type);
      expect(agent.snapshot()).toBe(before);
      expect(agent.snapshot()).toMatchObject({ name: 'Bot', revision: 1, version: '1.0.0', metadata: {}, isSystem: false });
      expect(agent.recordedVersion).toBe(recorded);
      expect(agent.entityTag).toBe(tag);
    });
  });
});

// ---- Agent#restore ---------------------------------------------------------------------------

describe('Agent#restore', () => {
  const OLD: AgentConfiguration = {
    name: 'Support bot v0',
    description: null,
    model: 'gemini-3-flash',
    instructions: 'Be brief.',
    binary: null,
    reasoningEffort: 'minimal',
    enabledSkills: ['deep_research'],
    deepResearchModel: 'gemini-3-flash-preview',
    config: { temperature: 0.9 },
  };
  const source = (configuration: Partial<AgentConfiguration> = {}, version = '1.0.0'): RecordedVersion => ({
    projectId: 'prj_1',
    agentId: 'support-bot',
    version,
    configuration: { ...OLD, ...configuration },
    createdAt: CREATED,
  });
  const current = { version: '1.0.3', revision: 7, isDefault: true, isActive: false } as const;

  function restoreRefusal(from: RecordedVersion, version: string | undefined, stored: Partial<AgentProps> = current, ctx: Partial<ChangeContext> = {}): DomainError {
    const agent = agentWith(stored);
    const before = agent.snapshot();
    try {
      agent.restore(from, version, context(ctx));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      expect(agent.snapshot()).toBe(before);
      expect(agent.recordedVersion).toBeNull();
      return error;
    }
    throw new Error('Agent#restore accepted it');
  }

  it('makes the next patch version with the old configuration, keeping everything else', () => {
    const agent = agentWith(current);
    agent.restore(source(), undefined, context());
    expect(agent.snapshot()).toEqual({ ...props(current), ...OLD, version: '1.0.4', revision: 8, updatedAt: NOW });
    expect(agent.recordedVersion).toEqual({ projectId: 'prj_1', agentId: 'support-bot', version: '1.0.4', configuration: OLD, createdAt: NOW });
    expect(agent.configuration()).toEqual(OLD);
    expect(agent.entityTag).toBe(`${CREATED.getTime().toString(36)}-8`);
  });

  it('makes a new version even when the configuration is the current one', () => {
    const agent = agentWith(current);
    agent.restore(versionOf(agent), undefined, context());
    expect(agent.snapshot()).toMatchObject({ version: '1.0.4', revision: 8 });
    expect(agent.recordedVersion).toMatchObject({ version: '1.0.4', configuration: configurationOf(props()) });
  });

  it('takes a named version that is strictly greater', () => {
    const agent = agentWith(current);
    agent.restore(source(), '2.0.0', context());
    expect(agent.version).toBe('2.0.0');
    expect(agent.recordedVersion).toMatchObject({ version: '2.0.0', configuration: OLD });
  });

  it('bumps a pre-release to its release', () => {
    const agent = agentWith({ version: '1.1.0-rc.2' });
    agent.restore(source(), undefined, context());
    expect(agent.version).toBe('1.1.0');
  });

  it.each(['1.0.3', '1.0.2', '1.0.3+b', '1.0.3-rc.1', '0.9.0'])('refuses the named version %s (not greater than 1.0.3)', (version) => {
    const error = restoreRefusal(source(), version) as ValidationFailedError;
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error.violations).toEqual([{ path: ['version'], code: 'version_not_greater', message: 'version must be greater than the current 1.0.3' }]);
  });

  it('refuses a malformed named version', () => {
    expect((restoreRefusal(source(), 'latest') as ValidationFailedError).violations.map((v) => `${v.path.join('.')}:${v.code}`)).toEqual(['version:invalid_semver']);
  });

  it('checks every rule again on the old configuration', () => {
    const codes = (error: DomainError) => (error as ValidationFailedError).violations.map((v) => `${v.path.join('.')}:${v.code}`);
    expect(codes(restoreRefusal(source({ model: 'retired-model' }), undefined))).toEqual(['model:unknown_model']);
    expect(codes(restoreRefusal(source({ model: 'gemini-3-1-pro' }), undefined))).toEqual(['reasoningEffort:unsupported_reasoning_effort']);
    expect(codes(restoreRefusal(source({ enabledSkills: [] }), '0.0.1'))).toEqual(['deepResearchModel:skill_required', 'version:version_not_greater']);
  });

  it('judges the tier when the old model differs from the current one', () => {
    const old = source({ model: 'claude-opus-4-6', reasoningEffort: 'high', enabledSkills: [], deepResearchModel: null });
    const error = restoreRefusal(old, undefined, current, { tier: 'free' });
    expect(error).toBeInstanceOf(ModelLockedError);
    expect(error.message).toBe('The model claude-opus-4-6 needs the pro tier or above');
    const agent = agentWith(current);
    agent.restore(old, undefined, context({ tier: 'pro' }));
    expect(agent.snapshot().model).toBe('claude-opus-4-6');
  });

  it('does not judge the tier when the old model is the current one', () => {
    const old = source({ model: 'claude-opus-4-6', reasoningEffort: 'low', enabledSkills: [], deepResearchModel: null });
    const agent = agentWith({ ...current, model: 'claude-opus-4-6', reasoningEffort: 'high' });
    agent.restore(old, undefined, context({ tier: 'free' }));
    expect(agent.snapshot()).toMatchObject({ model: 'claude-opus-4-6', reasoningEffort: 'low', version: '1.0.4' });
  });

  it('needs the provider of a different external model connected', () => {
    const old = source({ model: 'external:openai:gpt-5', reasoningEffort: 'minimal' });
    expect(restoreRefusal(old, undefined, current, { tier: 'team', connectedProviders: ['anthropic'] })).toBeInstanceOf(ProviderNotConnectedError);
    expect(restoreRefusal(old, undefined, current, { tier: 'pro', connectedProviders: ['openai'] })).toBeInstanceOf(ModelLockedError);
    const agent = agentWith(current);
    agent.restore(old, undefined, context({ tier: 'team', connectedProviders: ['openai'] }));
    expect(agent.snapshot().model).toBe('external:openai:gpt-5');
  });

  it('restores any earlier version of a history, always to a greater version', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s.length > 0), { minLength: 1, maxLength: 8 }), fc.nat(), (names, pick) => {
        const agent = agentWith();
        const history: RecordedVersion[] = [versionOf(agent)];
        for (const name of names) {
          agent.update({ name }, context());
          if (agent.recordedVersion) history.push(agent.recordedVersion);
        }
        const from = history[pick % history.length];
        const previous = agent.version;
        agent.restore(from, undefined, context());
        expect(compareSemver(agent.version, previous)).toBeGreaterThan(0);
        expect(agent.configuration()).toEqual(from.configuration);
        expect(agent.recordedVersion).toMatchObject({ version: agent.version, configuration: from.configuration });
      }),
    );
  });
});

// ---- Agent#assertDeletableBy -----------------------------------------------------------------

describe('Agent#assertDeletableBy', () => {
  it('lets only an internal actor delete a system agent', () => {
    const system = agentWith({ isSystem: true });
    expect(() => system.assertDeletableBy(MEMBER)).toThrow(InternalOnlyError);
    expect(() => system.assertDeletableBy(MEMBER)).toThrow('Only an internal key may delete a system agent');
    expect(system.assertDeletableBy(INTERNAL)).toBeUndefined();
  });

  it('lets anyone delete any other agent, the default one included', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.string(), (isSystem, isDefault, internal, userId) => {
        const agent = agentWith({ isSystem, isDefault });
        const check = () => agent.assertDeletableBy({ userId, internal });
        if (isSystem && !internal) expect(check).toThrow(InternalOnlyError);
        else expect(check()).toBeUndefined();
      }),
    );
  });

  it('changes nothing', () => {
    const agent = agentWith({ isSystem: true });
    const before = agent.snapshot();
    expect(() => agent.assertDeletableBy(MEMBER)).toThrow(InternalOnlyError);
    agent.assertDeletableBy(INTERNAL);
    expect(agent.snapshot()).toBe(before);
  });
});

describe('the tiers this spec assumes', () => {
  it('are the contract tiers, lowest first', () => {
    expect(TIERS).toEqual(['free', 'pro', 'team', 'enterprise'] satisfies Tier[]);
  });
});
