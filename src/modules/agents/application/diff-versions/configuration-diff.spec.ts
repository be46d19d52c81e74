import fc from 'fast-check';
import { applyPatch } from 'rfc6902';
import type { AgentConfiguration } from '../../domain/agent-version.js';
import { configurationDiff } from './configuration-diff.js';

/** Keys the API refuses anywhere in a body (422), so that no stored configuration holds. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const storable = (value: unknown): boolean =>
  value === null || typeof value !== 'object' || Object.entries(value).every(([key, inner]) => !FORBIDDEN_KEYS.has(key) && storable(inner));
/** JSON as PostgreSQL's jsonb gives it back: no -0, no key a body may not carry. */
const json = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown).filter(storable);
const jsonObject = fc.dictionary(fc.string({ maxLength: 6 }).filter((key) => !FORBIDDEN_KEYS.has(key)), json, { maxKeys: 5 });
const text = fc.string({ maxLength: 12 });

const configuration: fc.Arbitrary<AgentConfiguration> = fc.record({
  name: text,
  description: fc.option(text, { nil: null }),
  model: fc.constantFrom('claude-sonnet-4-5', 'claude-opus-4-6', 'gemini-3-flash', 'external:openai:gpt-5'),
  instructions: fc.option(text, { nil: null }),
  binary: fc.option(
    fc.oneof(fc.record({ path: text }), fc.record({ path: text, args: fc.array(text, { maxLength: 4 }) })),
    { nil: null },
  ),
  reasoningEffort: fc.constantFrom('minimal', 'low', 'medium', 'high'),
  enabledSkills: fc.uniqueArray(fc.constantFrom('deep_research', 'search', 'code', 'browse', 'math'), { maxLength: 5 }),
  deepResearchModel: fc.constantFrom(null, 'gemini-3-flash-preview', 'gemini-3-pro-preview'),
  config: jsonObject,
}) as fc.Arbitrary<AgentConfiguration>;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('configurationDiff', () => {
  it('gives the operations that turn the from configuration into the to one, for any two', () => {
    fc.assert(
      fc.property(configuration, configuration, (from, to) => {
        const document = clone(from);
        const changes = configurationDiff(from, to);
        const errors = applyPatch(document, clone(changes));
        expect(errors.filter((error) => error !== null)).toEqual([]);
        expect(document).toEqual(clone(to));
      }),
      { numRuns: 500 },
    );
  });

  it('gives no operation for a configuration and itself (or an equal copy)', () => {
    fc.assert(fc.property(configuration, (from) => expect(configurationDiff(from, clone(from))).toEqual([])));
  });

  it('names the changed fields by their JSON Pointer', () => {
    fc.assert(
      fc.property(configuration, (from) => {
        const to = { ...from, model: from.model === 'claude-opus-4-6' ? 'claude-sonnet-4-5' : 'claude-opus-4-6', config: { ...from.config, 'a/b~c': [from.config['a/b~c'] ?? null] } } as AgentConfiguration;
        const changes = configurationDiff(from, to);
        expect(changes).toContainEqual({ op: 'replace', path: '/model', value: to.model });
        expect(changes.map((change) => change.path)).toContain('/config/a~1b~0c');
      }),
    );
  });

  it('leaves both configurations as they were', () => {
    fc.assert(
      fc.property(configuration, configuration, (from, to) => {
        const [before, after] = [clone(from), clone(to)];
        configurationDiff(from, to);
        expect([from, to]).toEqual([before, after]);
      }),
    );
  });
});
