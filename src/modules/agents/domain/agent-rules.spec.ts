import fc from 'fast-check';
import type { Violation } from '../../../shared/domain/domain-error.js';
import { AGENT_ID_PATTERN, agentViolations, DEEP_RESEARCH_MODELS, LIMITS, patchRequestViolations, SKILL_ID_PATTERN, type AgentCandidate } from './agent-rules.js';
import type { JsonObject } from './json-object.js';
import { MODEL_CATALOG } from './model-catalog.js';
import { REASONING_EFFORTS } from './reasoning-effort.js';

// ---- factories -------------------------------------------------------------------------------

function validInput(overrides: Partial<AgentCandidate> = {}): AgentCandidate {
  return { name: 'Support bot', model: 'claude-sonnet-4-5', ...overrides };
}

/** Each violation as "path:code", e.g. "binary.args.3:string_too_long". */
function found(candidate: AgentCandidate): string[] {
  return agentViolations(candidate).map(describeViolation);
}

function describeViolation(violation: Violation): string {
  return `${violation.path.join('.')}:${violation.code}`;
}

/** One well-formed code point (any plane), as one string. */
const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((char) => char.isWellFormed());
/** Every character String.prototype.trim removes. */
const WHITESPACE = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const whitespace = fc.constantFrom(...WHITESPACE);
const nonWhitespaceChar = anyChar.filter((char) => char.trim() === char);

/** A string of exactly `length` code points, drawn from a few random characters (cheap even at 100,000). */
function textOfLength(length: fc.Arbitrary<number>, char: fc.Arbitrary<string> = anyChar): fc.Arbitrary<string> {
  return fc.tuple(length, fc.array(char, { minLength: 1, maxLength: 8 })).map(([n, chars]) => Array.from({ length: n }, (_, i) => chars[i % chars.length]).join(''));
}

/** A name of exactly `length` code points that trimming leaves alone: no whitespace at either end. */
function trimmedText(length: fc.Arbitrary<number>): fc.Arbitrary<string> {
  return fc
    .tuple(length, fc.array(nonWhitespaceChar, { minLength: 1, maxLength: 4 }), fc.array(fc.oneof(anyChar, whitespace), { minLength: 1, maxLength: 8 }))
    .map(([n, ends, inner]) => Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? ends[i % ends.length] : inner[i % inner.length])).join(''));
}

const padding = fc.array(whitespace, { maxLength: 6 }).map((chars) => chars.join(''));

const codePoints = (text: string): number => [...text].length;

/** A JSON object whose serialization is exactly `bytes` UTF-8 bytes, written with `filler` (1 to 4 bytes each). */
function objectOfBytes(bytes: number, filler: string): JsonObject {
  const payload = bytes - '{"k":""}'.length;
  const width = Buffer.byteLength(filler);
  return { k: filler.repeat(Math.floor(payload / width)) + 'x'.repeat(payload % width) };
}
const filler = fc.constantFrom('x', 'é', '€', '😀');

const skillId = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/);

// ---- tests -----------------------------------------------------------------------------------

describe('agentViolations', () => {
  it('finds nothing wrong with a minimal valid candidate', () => {
    expect(agentViolations(validInput())).toEqual([]);
  });

  it('finds nothing wrong with a candidate that sets every field within its limits', () => {
    expect(
      agentViolations(
        validInput({
          id: 'support-bot.v2_1',
          name: 'N'.repeat(LIMITS.nameLength),
          description: 'd'.repeat(LIMITS.descriptionLength),
          model: 'gemini-3-flash',
          instructions: 'i'.repeat(LIMITS.instructionsLength),
          binary: { path: 'p'.repeat(LIMITS.binaryPathLength), args: Array.from({ length: LIMITS.binaryArgs }, () => 'a'.repeat(LIMITS.binaryArgLength)) },
          reasoningEffort: 'minimal',
          enabledSkills: ['deep_research', ...Array.from({ length: LIMITS.skills - 1 }, (_, i) => `skill-${i}`)],
          deepResearchModel: 'gemini-3-pro-preview',
          metadata: Object.fromEntries(Array.from({ length: LIMITS.metadataKeys }, (_, i) => [`key${i}`, i])),
          config: objectOfBytes(LIMITS.configBytes, 'x'),
          version: '2.3.4-rc.1+build.5',
          userId: 'u'.repeat(LIMITS.userIdLength),
        }),
      ),
    ).toEqual([]);
  });

  it('accepts null for every optional field that may be cleared', () => {
    expect(agentViolations(validInput({ description: null, instructions: null, binary: null, reasoningEffort: null, deepResearchModel: null }))).toEqual([]);
  });

  describe('name', () => {
    it('is required', () => {
      expect(found({ model: 'claude-sonnet-4-5' })).toEqual(['name:missing']);
    });

    it('may be 1 to 255 characters after trimming, whatever the whitespace around it', () => {
      fc.assert(
        fc.property(padding, trimmedText(fc.integer({ min: 1, max: LIMITS.nameLength })), padding, (before, core, after) => {
          expect(found(validInput({ name: before + core + after }))).toEqual([]);
        }),
      );
    });

    it('may not be longer than 255 characters after trimming', () => {
      fc.assert(
        fc.property(padding, trimmedText(fc.integer({ min: LIMITS.nameLength + 1, max: 600 })), padding, (before, core, after) => {
          expect(found(validInput({ name: before + core + after }))).toEqual(['name:string_length']);
        }),
      );
    });

    it('may not be empty or only whitespace', () => {
      fc.assert(
        fc.property(padding, (blank) => {
          expect(found(validInput({ name: blank }))).toEqual(['name:string_length']);
        }),
      );
    });

    it('counts characters, not UTF-16 units: 255 emoji are a valid name, 256 are not', () => {
      expect(found(validInput({ name: '😀'.repeat(255) }))).toEqual([]);
      expect(found(validInput({ name: '😀'.repeat(256) }))).toEqual(['name:string_length']);
    });

    it('has whitespace inside kept and counted', () => {
      expect(found(validInput({ name: `a${' '.repeat(253)}b` }))).toEqual([]);
      expect(found(validInput({ name: `a${' '.repeat(254)}b` }))).toEqual(['name:string_length']);
    });
  });

  describe('id', () => {
    it('is optional', () => {
      expect(found(validInput({ id: undefined }))).toEqual([]);
    });

    it('may be any 1 to 64 characters of the pattern', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), (id) => {
          expect(AGENT_ID_PATTERN.test(id)).toBe(true);
          expect(found(validInput({ id }))).toEqual([]);
        }),
      );
    });

    it('may not be empty', () => {
      expect(found(validInput({ id: '' }))).toEqual(['id:string_length']);
    });

    it('may not be longer than 64 characters', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{64,100}$/), (id) => {
          expect(found(validInput({ id }))).toEqual(['id:string_length']);
        }),
      );
    });

    it('must start with a letter or digit', () => {
      fc.assert(
        fc.property(fc.constantFrom('.', '_', '-'), fc.stringMatching(/^[A-Za-z0-9._-]{0,63}$/), (first, rest) => {
          expect(found(validInput({ id: first + rest }))).toEqual(['id:string_pattern_mismatch']);
        }),
      );
    });

    it('may hold only letters, digits, ".", "_" and "-"', () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/),
          anyChar.filter((char) => !/^[A-Za-z0-9._-]$/.test(char) && char.length === 1),
          fc.stringMatching(/^[A-Za-z0-9._-]{0,30}$/),
          (head, bad, tail) => {
            expect(found(validInput({ id: head + bad + tail }))).toEqual(['id:string_pattern_mismatch']);
          },
        ),
      );
    });

    it.each(['bot\n', 'bot/1', 'bot 1', 'bot:1', 'böt', 'bot\u0000'])('refuses %j', (id) => {
      expect(found(validInput({ id }))).toEqual(['id:string_pattern_mismatch']);
    });
  });

  describe('description', () => {
    it('may be up to 2,000 characters', () => {
      fc.assert(
        fc.property(textOfLength(fc.integer({ min: 0, max: LIMITS.descriptionLength })), (description) => {
          expect(found(validInput({ description }))).toEqual([]);
        }),
      );
    });

    it('may not be longer than 2,000 characters', () => {
      fc.assert(
        fc.property(textOfLength(fc.integer({ min: LIMITS.descriptionLength + 1, max: 5_000 })), (description) => {
          expect(found(validInput({ description }))).toEqual(['description:string_too_long']);
        }),
      );
    });
  });

  describe('instructions', () => {
    it('may be up to 100,000 characters', () => {
      fc.assert(
        fc.property(textOfLength(fc.integer({ min: 0, max: LIMITS.instructionsLength })), (instructions) => {
          expect(found(validInput({ instructions }))).toEqual([]);
        }),
        { numRuns: 30 },
      );
      expect(found(validInput({ instructions: '😀'.repeat(LIMITS.instructionsLength) }))).toEqual([]);
    });

    it('may not be longer than 100,000 characters', () => {
      fc.assert(
        fc.property(textOfLength(fc.integer({ min: LIMITS.instructionsLength + 1, max: 150_000 })), (instructions) => {
          expect(found(validInput({ instructions }))).toEqual(['instructions:string_too_long']);
        }),
        { numRuns: 30 },
      );
    });
  });

  describe('model', () => {
    it('is required', () => {
      expect(found({ name: 'Support bot' })).toEqual(['model:missing']);
    });

    it.each(MODEL_CATALOG.map((model) => model.id))('may be the managed model %s', (model) => {
      expect(found(validInput({ model }))).toEqual([]);
    });

    it('may be a well-formed external model id (the tier and provider are not the 422 rules)', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/), fc.string({ unit: 'binary', minLength: 1 }).filter((text) => text.isWellFormed()), (provider, modelId) => {
          expect(found(validInput({ model: `external:${provider}:${encodeURIComponent(modelId)}` }))).toEqual([]);
        }),
      );
    });

    it('may not be any other string', () => {
      const ids = new Set(MODEL_CATALOG.map((model) => model.id));
      fc.assert(
        fc.property(
          fc.string().filter((text) => !ids.has(text) && !text.startsWith('external:')),
          (model) => {
            expect(found(validInput({ model }))).toEqual(['model:unknown_model']);
          },
        ),
      );
    });

    it.each(['external:openai:%zz', 'external:openai:%C3', 'external:openai:', 'external:openai', 'external::gpt-4o', 'external:OpenAI:gpt-4o', 'external:openai:gpt 4o'])(
      'may not be the malformed external id %j',
      (model) => {
        expect(agentViolations(validInput({ model }))).toEqual([{ path: ['model'], code: 'unknown_model', message: expect.stringContaining(model) }]);
      },
    );

    it('quotes at most 100 characters of an unknown model in the message', () => {
      const [violation] = agentViolations(validInput({ model: 'm'.repeat(10_000) }));
      expect(violation.message).toContain(`"${'m'.repeat(100)}"`);
      expect(violation.message).not.toContain('m'.repeat(101));
    });
  });

  describe('reasoningEffort', () => {
    const SUPPORTED: Record<string, string[]> = {
      'claude-opus-4-6': ['low', 'medium', 'high'],
      'claude-sonnet-4-5': ['low', 'medium', 'high'],
      'claude-haiku-4-5': ['low', 'medium', 'high'],
      'gemini-3-flash': ['minimal', 'low', 'medium', 'high'],
      'gemini-3-1-pro': ['low', 'medium', 'high'],
    };
    const cases = MODEL_CATALOG.flatMap((model) => REASONING_EFFORTS.map((effort) => [model.id, effort, SUPPORTED[model.id].includes(effort)] as const));

    it('covers every managed model in the expectations', () => {
      expect(Object.keys(SUPPORTED).sort()).toEqual(MODEL_CATALOG.map((model) => model.id).sort());
    });

    it.each(cases)('%s with %s: allowed %s', (model, reasoningEffort, allowed) => {
      const violations = agentViolations(validInput({ model, reasoningEffort }));
      if (allowed) {
        expect(violations).toEqual([]);
      } else {
        expect(violations).toEqual([{ path: ['reasoningEffort'], code: 'unsupported_reasoning_effort', message: `${model} supports the reasoning efforts low, medium, high` }]);
      }
    });

    it('takes any effort for an external model', () => {
      fc.assert(
        fc.property(fc.constantFrom(...REASONING_EFFORTS), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/), (reasoningEffort, provider) => {
          expect(found(validInput({ model: `external:${provider}:some%2Fmodel`, reasoningEffort }))).toEqual([]);
        }),
      );
    });

    it('must be one of minimal, low, medium, high', () => {
      fc.assert(
        fc.property(
          fc.string().filter((text) => !(REASONING_EFFORTS as readonly string[]).includes(text)),
          (reasoningEffort) => {
            expect(found(validInput({ reasoningEffort }))).toEqual(['reasoningEffort:enum']);
          },
        ),
      );
    });

    it('with an unknown model, reports only the model', () => {
      expect(found(validInput({ model: 'gpt-5', reasoningEffort: 'minimal' }))).toEqual(['model:unknown_model']);
    });

    it('is optional', () => {
      expect(found(validInput({ reasoningEffort: undefined }))).toEqual([]);
      expect(found(validInput({ reasoningEffort: null }))).toEqual([]);
    });
  });

  describe('binary', () => {
    it('takes a path of 1 to 1,024 characters and up to 64 arguments of up to 4,096 characters', () => {
      fc.assert(
        fc.property(
          textOfLength(fc.integer({ min: 1, max: LIMITS.binaryPathLength })),
          fc.option(fc.array(textOfLength(fc.integer({ min: 0, max: LIMITS.binaryArgLength })), { maxLength: LIMITS.binaryArgs }), { nil: undefined }),
          (path, args) => {
            expect(found(validInput({ binary: { path, args } }))).toEqual([]);
          },
        ),
        { numRuns: 40 },
      );
    });

    it('refuses an empty path', () => {
      expect(found(validInput({ binary: { path: '' } }))).toEqual(['binary.path:string_length']);
    });

    it('refuses a path longer than 1,024 characters', () => {
      fc.assert(
        fc.property(textOfLength(fc.integer({ min: LIMITS.binaryPathLength + 1, max: 3_000 })), (path) => {
          expect(found(validInput({ binary: { path } }))).toEqual(['binary.path:string_length']);
        }),
      );
    });

    it('refuses more than 64 arguments', () => {
      fc.assert(
        fc.property(fc.integer({ min: LIMITS.binaryArgs + 1, max: 200 }), (count) => {
          expect(found(validInput({ binary: { path: '/usr/bin/claude', args: Array.from({ length: count }, () => '--x') } }))).toEqual(['binary.args:too_long']);
        }),
      );
    });

    it('names each argument longer than 4,096 characters by its index', () => {
      fc.assert(
        fc.property(
          fc.array(fc.boolean(), { minLength: 1, maxLength: LIMITS.binaryArgs }),
          fc.integer({ min: LIMITS.binaryArgLength + 1, max: 6_000 }),
          (tooLong, length) => {
            const args = tooLong.map((long) => (long ? 'a'.repeat(length) : '--flag'));
            const expected = tooLong.flatMap((long, index) => (long ? [`binary.args.${index}:string_too_long`] : []));
            expect(found(validInput({ binary: { path: '/usr/bin/claude', args } }))).toEqual(expected);
          },
        ),
      );
    });
  });

  describe('enabledSkills', () => {
    it('may hold up to 50 unique skill ids of the pattern', () => {
      fc.assert(
        fc.property(fc.uniqueArray(skillId, { maxLength: LIMITS.skills }), (enabledSkills) => {
          expect(enabledSkills.every((skill) => SKILL_ID_PATTERN.test(skill))).toBe(true);
          expect(found(validInput({ enabledSkills }))).toEqual([]);
        }),
      );
    });

    it('may not hold more than 50', () => {
      fc.assert(
        fc.property(fc.uniqueArray(skillId, { minLength: LIMITS.skills + 1, maxLength: 120 }), (enabledSkills) => {
          expect(found(validInput({ enabledSkills }))).toEqual(['enabledSkills:too_long']);
        }),
      );
    });

    it('may not list a skill twice: the repeat is named by its index', () => {
      fc.assert(
        fc.property(fc.uniqueArray(skillId, { minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), (skills, pick, at) => {
          const repeated = skills[pick % skills.length];
          const position = (pick % skills.length) + 1 + (at % (skills.length - (pick % skills.length)));
          const enabledSkills = [...skills.slice(0, position), repeated, ...skills.slice(position)];
          expect(found(validInput({ enabledSkills }))).toEqual([`enabledSkills.${position}:duplicate_item`]);
        }),
      );
    });

    it('names each skill id that breaks the pattern by its index', () => {
      const badSkill = fc.oneof(
        fc.constant(''),
        fc.stringMatching(/^[A-Z][a-z0-9_-]{0,10}$/),
        fc.stringMatching(/^[_-][a-z0-9_-]{0,10}$/),
        fc.stringMatching(/^[a-z0-9][a-z0-9_-]{64,80}$/),
        fc.stringMatching(/^[a-z0-9]{1,5}[ .:/A-Z][a-z0-9]{0,5}$/),
      );
      fc.assert(
        fc.property(fc.array(fc.oneof(skillId.map((id) => ({ id, ok: true })), badSkill.map((id) => ({ id, ok: false }))), { maxLength: 20 }), (entries) => {
          fc.pre(new Set(entries.map((entry) => entry.id)).size === entries.length);
          const expected = entries.flatMap((entry, index) => (entry.ok ? [] : [`enabledSkills.${index}:string_pattern_mismatch`]));
          expect(found(validInput({ enabledSkills: entries.map((entry) => entry.id) }))).toEqual(expected);
        }),
      );
    });

    it.each(['Deep_research', 'deep research', '-web', '_web', 'web!', 'a'.repeat(65), 'é'])('refuses the skill id %j', (skill) => {
      expect(found(validInput({ enabledSkills: [skill] }))).toEqual(['enabledSkills.0:string_pattern_mismatch']);
    });

    it('takes a 64-character skill id', () => {
      expect(found(validInput({ enabledSkills: ['a'.repeat(64)] }))).toEqual([]);
    });
  });

  describe('deepResearchModel', () => {
    it.each(DEEP_RESEARCH_MODELS)('may be %s with deep_research enabled', (deepResearchModel) => {
      expect(found(validInput({ deepResearchModel, enabledSkills: ['web', 'deep_research'] }))).toEqual([]);
    });

    it.each(DEEP_RESEARCH_MODELS)('may not be %s without deep_research', (deepResearchModel) => {
      expect(found(validInput({ deepResearchModel }))).toEqual(['deepResearchModel:skill_required']);
      expect(found(validInput({ deepResearchModel, enabledSkills: ['web', 'deep-research'] }))).toEqual(['deepResearchModel:skill_required']);
    });

    it('must be one of the deep research models', () => {
      fc.assert(
        fc.property(
          fc.string().filter((text) => !(DEEP_RESEARCH_MODELS as readonly string[]).includes(text)),
          (deepResearchModel) => {
            expect(found(validInput({ deepResearchModel, enabledSkills: ['deep_research'] }))).toEqual(['deepResearchModel:enum']);
          },
        ),
      );
    });
  });

  describe('metadata', () => {
    it('may be up to 16 KiB serialized (UTF-8 bytes)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 8, max: LIMITS.metadataBytes }), filler, (bytes, char) => {
          const metadata = objectOfBytes(bytes, char);
          expect(Buffer.byteLength(JSON.stringify(metadata))).toBe(bytes);
          expect(found(validInput({ metadata }))).toEqual([]);
        }),
      );
    });

    it('may not be larger than 16 KiB serialized', () => {
      fc.assert(
        fc.property(fc.integer({ min: LIMITS.metadataBytes + 1, max: 40_000 }), filler, (bytes, char) => {
          const metadata = objectOfBytes(bytes, char);
          expect(Buffer.byteLength(JSON.stringify(metadata))).toBe(bytes);
          expect(found(validInput({ metadata }))).toEqual(['metadata:too_large']);
        }),
      );
    });

    it('counts bytes, not characters: 16,384 bytes of "é" is 8,188 characters over the limit', () => {
      const metadata = { k: 'é'.repeat(8_189) };
      expect(JSON.stringify(metadata).length).toBeLessThan(LIMITS.metadataBytes);
      expect(found(validInput({ metadata }))).toEqual(['metadata:too_large']);
    });

    it('may have up to 64 top-level keys, however many nested ones', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: LIMITS.metadataKeys }), fc.integer({ min: 0, max: 1_000 }), (keys, nested) => {
          const metadata: JsonObject = Object.fromEntries(keys.map((key) => [key, true]));
          metadata[keys[0]] = Object.fromEntries(Array.from({ length: nested }, (_, i) => [`n${i}`, i]));
          expect(Object.keys(metadata)).toHaveLength(keys.length);
          expect(Buffer.byteLength(JSON.stringify(metadata))).toBeLessThanOrEqual(LIMITS.metadataBytes);
          expect(found(validInput({ metadata }))).toEqual([]);
        }),
      );
    });

    it('may not have more than 64 top-level keys', () => {
      fc.assert(
        fc.property(fc.integer({ min: LIMITS.metadataKeys + 1, max: 500 }), (count) => {
          const metadata = Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, true]));
          expect(found(validInput({ metadata }))).toEqual(['metadata:too_many_keys']);
        }),
      );
    });

    it('reports both problems when it is too large and has too many keys', () => {
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'.repeat(300)]));
      expect(found(validInput({ metadata }))).toEqual(['metadata:too_large', 'metadata:too_many_keys']);
    });
  });

  describe('config', () => {
    it('may be up to 64 KiB serialized, with any number of keys', () => {
      fc.assert(
        fc.property(fc.integer({ min: 8, max: LIMITS.configBytes }), filler, (bytes, char) => {
          const config = objectOfBytes(bytes, char);
          expect(Buffer.byteLength(JSON.stringify(config))).toBe(bytes);
          expect(found(validInput({ config }))).toEqual([]);
        }),
      );
      expect(found(validInput({ config: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])) }))).toEqual([]);
    });

    it('may not be larger than 64 KiB serialized', () => {
      fc.assert(
        fc.property(fc.integer({ min: LIMITS.configBytes + 1, max: 150_000 }), filler, (bytes, char) => {
          const config = objectOfBytes(bytes, char);
          expect(Buffer.byteLength(JSON.stringify(config))).toBe(bytes);
          expect(found(validInput({ config }))).toEqual(['config:too_large']);
        }),
      );
    });
  });

  describe('version', () => {
    it('is optional', () => {
      expect(found(validInput({ version: undefined }))).toEqual([]);
    });

    it('may be any semantic version', () => {
      fc.assert(
        fc.property(fc.nat(), fc.nat(), fc.nat(), (major, minor, patch) => {
          expect(found(validInput({ version: `${major}.${minor}.${patch}` }))).toEqual([]);
        }),
      );
    });

    it.each(['', '1', '1.0', 'v1.0.0', '01.0.0', 'latest', '1.0.0 '])('may not be %j', (version) => {
      expect(found(validInput({ version }))).toEqual(['version:invalid_semver']);
    });
  });

  describe('user_id', () => {
    it('may be 1 to 128 characters', () => {
      fc.assert(
        fc.property(textOfLength(fc.integer({ min: 1, max: LIMITS.userIdLength })), (userId) => {
          expect(found(validInput({ userId }))).toEqual([]);
        }),
      );
    });

    it('may not be empty or longer than 128 characters', () => {
      fc.assert(
        fc.property(textOfLength(fc.oneof(fc.constant(0), fc.integer({ min: LIMITS.userIdLength + 1, max: 1_000 }))), (userId) => {
          expect(found(validInput({ userId }))).toEqual(['user_id:string_length']);
        }),
      );
    });
  });

  it('reports every broken rule at once, in field order', () => {
    const candidate: AgentCandidate = {
      id: '-bad',
      name: '   ',
      description: 'd'.repeat(LIMITS.descriptionLength + 1),
      model: 'external:openai:%C3',
      instructions: 'i'.repeat(LIMITS.instructionsLength + 1),
      binary: { path: '', args: ['ok', 'a'.repeat(LIMITS.binaryArgLength + 1), ...Array.from({ length: LIMITS.binaryArgs }, () => 'x')] },
      reasoningEffort: 'extreme',
      enabledSkills: [...Array.from({ length: LIMITS.skills }, (_, i) => `s${i}`), 'Bad', 's0'],
      deepResearchModel: 'gemini-3-pro-preview',
      metadata: Object.fromEntries(Array.from({ length: LIMITS.metadataKeys + 1 }, (_, i) => [`k${i}`, 'v'.repeat(300)])),
      config: objectOfBytes(LIMITS.configBytes + 1, 'x'),
      version: 'v1',
      userId: '',
    };
    expect(found(candidate)).toEqual([
      'id:string_pattern_mismatch',
      'name:string_length',
      'description:string_too_long',
      'model:unknown_model',
      'instructions:string_too_long',
      'binary.path:string_length',
      'binary.args:too_long',
      'binary.args.1:string_too_long',
      'reasoningEffort:enum',
      'enabledSkills:too_long',
      'enabledSkills.50:string_pattern_mismatch',
      'enabledSkills.51:duplicate_item',
      'deepResearchModel:skill_required',
      'metadata:too_large',
      'metadata:too_many_keys',
      'config:too_large',
      'version:invalid_semver',
      'user_id:string_length',
    ]);
    expect(agentViolations(candidate).every((violation) => violation.message.length > 0)).toBe(true);
  });

  it('reports a missing name and model together', () => {
    expect(found({})).toEqual(['name:missing', 'model:missing']);
  });

  it('counts the characters of a long name in code points', () => {
    fc.assert(
      fc.property(trimmedText(fc.integer({ min: 1, max: 300 })), (name) => {
        expect(found(validInput({ name })).length === 0).toBe(codePoints(name) <= LIMITS.nameLength);
      }),
    );
  });
});

describe('reserved ids', () => {
  it('refuses "models", which GET /v1/agents/models would shadow', () => {
    expect(agentViolations({ id: 'models', name: 'A', model: 'claude-sonnet-4-5' })).toEqual([
      { path: ['id'], code: 'reserved_id', message: 'The id models is reserved: it names a route' },
    ]);
    expect(agentViolations({ id: 'models-2', name: 'A', model: 'claude-sonnet-4-5' })).toEqual([]);
  });
});

describe('patchRequestViolations', () => {
  const codes = (patch: Record<string, unknown>) => patchRequestViolations(patch).map((v) => `${v.path.join('.')}:${v.code}`);

  it('judges each given field by its own rules, and nulls on fields that cannot be cleared', () => {
    expect(codes({ description: 'd'.repeat(2_001), name: '  ', model: null, instructions: null })).toEqual([
      'model:null_not_allowed',
      'name:string_length',
      'description:string_too_long',
    ]);
  });

  it('leaves to the patched agent what depends on it: the fields not given, merged objects, the skill of a deepResearchModel', () => {
    expect(codes({ deepResearchModel: 'gemini-3-flash-preview', metadata: { a: 'x'.repeat(20_000) }, id: 'Bad Id' })).toEqual([]);
    expect(codes({ deepResearchModel: 'gemini-3-flash-preview', enabledSkills: ['web'] })).toEqual(['deepResearchModel:skill_required']);
  });
});
