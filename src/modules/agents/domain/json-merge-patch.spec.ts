import fc from 'fast-check';
import { applyMergePatch } from './json-merge-patch.js';
import type { JsonObject, JsonValue } from './json-object.js';

/** RFC 7396, Appendix A, the cases whose document and patch are both objects. */
const RFC_EXAMPLES: [JsonObject, JsonObject, JsonObject][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

/**
 * The Appendix A cases whose document or patch is not an object (an array or a scalar): the domain
 * patches objects only, so they are checked one level down, as the value of a key, where the
 * algorithm (MergePatch(Target[Name], Value)) gives them the same meaning.
 */
const RFC_NESTED_EXAMPLES: [JsonValue, JsonValue, JsonValue][] = [
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, 'bar', 'bar'],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
];

/** A JSON value over a few keys, so that documents and patches share keys often. */
const { object: jsonObject } = fc.letrec<{ value: JsonValue; object: JsonObject }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 4 }),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4, noNullPrototype: true }),
}));

/** Whether `value` holds a null as an object member anywhere outside arrays. */
function hasNullMember(value: JsonValue): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).some((inner) => inner === null || hasNullMember(inner));
}

describe('applyMergePatch', () => {
  it.each(RFC_EXAMPLES)('RFC 7396 appendix A: %j patched with %j is %j', (target, patch, result) => {
    expect(applyMergePatch(target, patch)).toStrictEqual(result);
  });

  it.each(RFC_NESTED_EXAMPLES)('RFC 7396 appendix A, one level down: %j patched with %j is %j', (target, patch, result) => {
    expect(applyMergePatch({ x: target, y: 'kept' }, { x: patch })).toStrictEqual({ x: result, y: 'kept' });
  });

  it('RFC 7396 section 3: the worked example', () => {
    const target: JsonObject = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    };
    const patch: JsonObject = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyMergePatch(target, patch)).toStrictEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it('changes neither the target nor the patch', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (target, patch) => {
        const targetCopy = structuredClone(target);
        const patchCopy = structuredClone(patch);
        applyMergePatch(target, patch);
        expect(target).toStrictEqual(targetCopy);
        expect(patch).toStrictEqual(patchCopy);
      }),
    );
  });

  it('is the identity for an empty patch', () => {
    fc.assert(
      fc.property(jsonObject, (target) => {
        expect(applyMergePatch(target, {})).toStrictEqual(target);
      }),
    );
  });

  it('is idempotent: applying a patch twice is applying it once', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (target, patch) => {
        const once = applyMergePatch(target, patch);
        expect(applyMergePatch(once, patch)).toStrictEqual(once);
      }),
    );
  });

  it('removes every key the patch sets to null and keeps every key it omits', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (target, patch) => {
        const result = applyMergePatch(target, patch);
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) expect(Object.hasOwn(result, key)).toBe(false);
          else expect(Object.hasOwn(result, key)).toBe(true);
        }
        for (const [key, value] of Object.entries(target)) {
          if (!Object.hasOwn(patch, key)) expect(result[key]).toStrictEqual(value);
        }
      }),
    );
  });

  it('sets every non-object value of the patch as it is (arrays replaced whole)', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (target, patch) => {
        const result = applyMergePatch(target, patch);
        for (const [key, value] of Object.entries(patch)) {
          if (value !== null && (typeof value !== 'object' || Array.isArray(value))) expect(result[key]).toStrictEqual(value);
        }
      }),
    );
  });

  it('leaves no null member that came from the patch', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (target, patch) => {
        // From an empty document, every null of the patch is a deletion, so none survives.
        expect(hasNullMember(applyMergePatch({}, patch))).toBe(false);
        if (!hasNullMember(target)) expect(hasNullMember(applyMergePatch(target, patch))).toBe(false);
      }),
    );
  });

  it('gives a patch without nulls the last word: patching the result with the target again gives the target back on its keys', () => {
    fc.assert(
      fc.property(jsonObject.filter((t) => !hasNullMember(t)), jsonObject, (target, patch) => {
        const result = applyMergePatch(applyMergePatch(target, patch), target);
        for (const [key, value] of Object.entries(target)) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) expect(result[key]).toStrictEqual(value);
        }
      }),
    );
  });

  describe('"__proto__" and other special keys', () => {
    it('adds a "__proto__" key as an own property and leaves the prototype alone', () => {
      const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonObject;
      const result = applyMergePatch({}, patch);
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(Object.hasOwn(result, '__proto__')).toBe(true);
      expect(Object.keys(result)).toEqual(['__proto__', 'a']);
      expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true},"a":1}');
      expect((result as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('sets a scalar "__proto__" as an own property', () => {
      const result = applyMergePatch({ a: 1 }, JSON.parse('{"__proto__": "x"}') as JsonObject);
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(JSON.stringify(result)).toBe('{"a":1,"__proto__":"x"}');
    });

    it('merges into an own "__proto__" key and deletes it with null', () => {
      const target = JSON.parse('{"__proto__": {"a": 1, "b": 2}, "k": true}') as JsonObject;
      const merged = applyMergePatch(target, JSON.parse('{"__proto__": {"b": null, "c": 3}}') as JsonObject);
      expect(JSON.stringify(merged)).toBe('{"__proto__":{"a":1,"c":3},"k":true}');
      expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
      const removed = applyMergePatch(target, JSON.parse('{"__proto__": null}') as JsonObject);
      expect(JSON.stringify(removed)).toBe('{"k":true}');
      expect(Object.getPrototypeOf(removed)).toBe(Object.prototype);
      expect(JSON.stringify(target)).toBe('{"__proto__":{"a":1,"b":2},"k":true}');
    });

    it('does not merge into Object.prototype when "__proto__" is not an own key', () => {
      const result = applyMergePatch({}, JSON.parse('{"__proto__": {"toString": "hijacked"}}') as JsonObject);
      expect(JSON.stringify(result)).toBe('{"__proto__":{"toString":"hijacked"}}');
      expect(typeof Object.prototype.toString).toBe('function');
      expect(String(result)).toBe('[object Object]');
    });

    it('keeps a "__proto__" key nested anywhere an own property', () => {
      const result = applyMergePatch({ deep: { x: 1 } }, JSON.parse('{"deep": {"__proto__": {"y": 2}}}') as JsonObject);
      expect(JSON.stringify(result)).toBe('{"deep":{"x":1,"__proto__":{"y":2}}}');
      expect(Object.getPrototypeOf(result.deep)).toBe(Object.prototype);
      expect((result.deep as Record<string, unknown>).y).toBeUndefined();
    });

    it.each(['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])('treats "%s" as a plain key', (key) => {
      const result = applyMergePatch({}, { [key]: { nested: 1 } });
      expect(JSON.stringify(result)).toBe(`{"${key}":{"nested":1}}`);
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(JSON.stringify(applyMergePatch(result, { [key]: null }))).toBe('{}');
    });
  });
});
