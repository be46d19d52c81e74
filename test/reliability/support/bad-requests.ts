// fast-check generators of bad requests for every route of the Agents API. A request to a route
// that writes is bad by construction (at least one of its parts is refused by the contract), so
// that any 2xx to one is a finding; reads may be fine or not. Bodies are raw JSON text, built
// here, so that what JSON.stringify would drop or normalise (`__proto__` keys, duplicate keys,
// NUL, lone surrogates, invalid bytes) reaches the service as written.
import fc from 'fast-check';
import type { Sent } from './http.js';

export interface FuzzContext {
  /** read and write keys of the fuzzed project (tenant A) */
  readonly token: string;
  readonly readOnlyToken: string;
  /** a valid key of another workspace (tenant B) */
  readonly otherTenantToken: string;
  readonly revokedToken: string;
  readonly expiredToken: string;
  /** A's live agents, all at version 1.0.0 or later, none with deep_research */
  readonly agentIds: readonly string[];
  /** A's soft-deleted agents */
  readonly deletedIds: readonly string[];
  readonly userId: string;
}

export interface FuzzRequest extends Sent {
  /** the route it aims at, for the report */
  readonly route: string;
  /** whether the route writes (then any 2xx is a finding) */
  readonly write: boolean;
  readonly why: string;
}

/** A part of a request and whether the contract refuses it. */
interface Part<T> {
  readonly value: T;
  readonly bad: boolean;
  readonly why: string;
}

const good = <T>(value: T, why = ''): Part<T> => ({ value, bad: false, why });
const bad = <T>(value: T, why: string): Part<T> => ({ value, bad: true, why });

// ---------------------------------------------------------------------------------------------
// JSON text

type Json = string;
const str = (text: string): Json => JSON.stringify(text); // escapes NUL and lone surrogates as \uXXXX
const obj = (pairs: readonly (readonly [string, Json])[]): Json => `{${pairs.map(([key, value]) => `${str(key)}:${value}`).join(',')}}`;
const arr = (items: readonly Json[]): Json => `[${items.join(',')}]`;

const repeat = (text: string, times: number) => text.repeat(times);
const deepObject = (depth: number): Json => `${repeat('{"a":', depth)}1${repeat('}', depth)}`;
const deepArray = (depth: number): Json => `${repeat('[', depth)}${repeat(']', depth)}`;
const manyKeys = (count: number, prefix = 'k'): Json => obj(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, '1'] as const));

/** Percent-encodes every byte but the unreserved ones (lone surrogates become U+FFFD's bytes). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9._~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strings

const ODD_UNICODE = [
  '\u202Eevil\u202C', '\u200B', '\uFEFFbom', 'e\u0301\u0301\u0301', '👩‍👩‍👧‍👦', '🏳️‍🌈', '\u2028\u2029', '\uFFFF\uFFFE', '\uDBFF\uDFFF',
  'Ω≈ç√∫', 'ＡＢＣ', '\u0007\u001B[31m', '\t\r\n', 'ǅ', 'İı', 'ß', '𝕏', '\u00A0', '\u3000', 'ﷺ', '\u0600\u0601', '﷽',
  "'; DROP TABLE agents; --", '" OR 1=1 --', '%00', '%s%s%n', '../../etc/passwd', '${jndi:ldap://x}', '{{7*7}}', '<script>alert(1)</script>',
  '\\', '\\u0000', 'null', 'undefined', 'NaN', '-0', '1e999', 'true',
];
/** Strings PostgreSQL or the contract cannot take: NUL and unpaired surrogates. */
const UNSAFE = ['\u0000', 'a\u0000b', '\uD800', 'x\uDFFF', '\uDC00\uD800', 'ok\uD83D', '\u0000\uD800'];

const oddString = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_UNICODE), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
);
const unsafeString = fc.oneof(
  fc.constantFrom(...UNSAFE),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...UNSAFE), fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c),
);

// Lengths around the limits (characters), as made once.
const sized = (n: number, unit = 'x') => repeat(unit, n);
const LONG = {
  id: [65, 200].map((n) => sized(n)),
  name: [256, 300, 256].map((n, i) => (i === 2 ? sized(n, '界') : sized(n))),
  description: [2_001, 2_001].map((n, i) => sized(n, i === 0 ? 'x' : '🎉')),
  instructions: [100_001, 400_000].map((n) => sized(n)),
  binaryPath: [1_025].map((n) => sized(n)),
  userId: [129].map((n) => sized(n)),
  huge: [1_100_000].map((n) => sized(n)),
};

// ---------------------------------------------------------------------------------------------
// Headers and tokens

// What fetch lets through in a header value: visible Latin-1 and spaces.
const headerChar = fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code));
const headerText = fc.string({ unit: headerChar, minLength: 1, maxLength: 80 }).filter((text) => text.trim().length > 0);
const base64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 64 });

type HeaderMap = Record<string, string>;

/** Credentials the service must refuse, whatever the request (401, or 403 for the read-only key on a write). */
function refusedAuth(ctx: FuzzContext, forWrite: boolean): fc.Arbitrary<Part<HeaderMap>> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const options: fc.Arbitrary<Part<HeaderMap>>[] = [
    fc.constant(bad({}, 'no key')),
    fc.constantFrom(
      bad({ authorization: '' }, 'empty authorization'),
      bad({ authorization: 'Bearer' }, 'Bearer without token'),
      bad({ authorization: 'Bearer ' }, 'Bearer with a blank token'),
      bad({ authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` }, 'Basic auth'),
      bad({ authorization: `Token ${ctx.token}` }, 'wrong scheme'),
      bad({ authorization: `Bearer ${ctx.token} ${ctx.token}` }, 'two tokens'),
      bad({ authorization: `Bearer ${ctx.token.slice(0, -1)}` }, 'truncated token'),
      bad({ authorization: `Bearer ${ctx.token}x` }, 'extended token'),
      bad({ authorization: `Bearer ${ctx.token.toUpperCase()}` }, 'upper-cased token'),
      bad({ authorization: `Bearer ${ctx.revokedToken}` }, 'revoked key'),
      bad({ authorization: `Bearer ${ctx.expiredToken}` }, 'expired key'),
      bad({ 'x-api-key': `Bearer ${ctx.token}` }, 'x-api-key with a scheme'),
      bad({ authorization: 'Basic x', 'x-api-key': ctx.token }, 'malformed authorization beside a good x-api-key'),
      bad({ authorization: `Bearer ${sized(257, 'a')}` }, 'token over 256 chars'),
      bad({ authorization: `Bearer ${sized(12_000, 'a')}` }, 'token of 12 kB'),
      bad({ authorization: `Bearer ${sized(20_000, 'a')}` }, 'headers over 16 kB'),
    ),
    base64url.map((tail) => bad(bearer(`agk_${tail}`), 'forged agk_ token')),
    fc.tuple(fc.nat({ max: ctx.token.length - 1 }), fc.constantFrom(...'ABCxyz019-_')).map(([at, char]) => {
      const forged = ctx.token.slice(0, at) + char + ctx.token.slice(at + 1);
      return forged === ctx.token ? bad(bearer(`${forged}!`), 'forged token') : bad(bearer(forged), 'one character changed');
    }),
    headerText.map((text) => bad({ authorization: text }, 'random authorization')),
    headerText.map((text) => bad(bearer(text.replace(/\s/g, '_')), 'random bearer token')),
    headerText.map((text) => bad({ 'x-api-key': text }, 'random x-api-key')),
  ];
  if (forWrite) options.push(fc.constant(bad(bearer(ctx.readOnlyToken), 'read-only key on a write')));
  return fc.oneof(...options);
}

/** Any credentials: the project's own keys, another tenant's, or refused ones. */
function anyAuth(ctx: FuzzContext, forWrite: boolean): fc.Arbitrary<Part<HeaderMap>> {
  return fc.oneof(
    { arbitrary: fc.constant(good({ authorization: `Bearer ${ctx.token}` })), weight: 6 },
    { arbitrary: fc.constant(good({ 'x-api-key': ctx.token })), weight: 1 },
    { arbitrary: fc.constant(good({ authorization: `bearer   ${ctx.token}  ` })), weight: 1 },
    { arbitrary: fc.constant(forWrite ? bad({ authorization: `Bearer ${ctx.readOnlyToken}` }, 'read-only key on a write') : good({ authorization: `Bearer ${ctx.readOnlyToken}` })), weight: 1 },
    { arbitrary: refusedAuth(ctx, forWrite), weight: 4 },
  );
}

/** HeaderMap that must not matter, or must be refused cleanly. */
const noiseHeaders: fc.Arbitrary<HeaderMap> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 6 },
  { arbitrary: headerText.map((text) => ({ 'x-request-id': text })), weight: 1 },
  { arbitrary: fc.constant({ 'x-request-id': sized(5_000, 'r') }), weight: 1 },
  { arbitrary: headerText.map((text) => ({ accept: text })), weight: 1 },
  { arbitrary: headerText.map((text) => ({ 'accept-encoding': text })), weight: 1 },
  { arbitrary: headerText.map((text) => ({ 'if-none-match': text })), weight: 1 },
  { arbitrary: headerText.map((text) => ({ 'x-forwarded-for': text, forwarded: text })), weight: 1 },
  { arbitrary: fc.constant({ origin: 'https://evil.example' }), weight: 1 },
);

/** An Idempotency-Key that is refused (422), or a fine one. */
const idempotencyKeyHeader: fc.Arbitrary<Part<HeaderMap>> = fc.oneof(
  { arbitrary: fc.constant(good({})), weight: 6 },
  { arbitrary: fc.uuid().map((key) => good({ 'idempotency-key': key })), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      bad({ 'idempotency-key': sized(256, 'k') }, 'idempotency key over 255 chars'),
      bad({ 'idempotency-key': 'clé-é' }, 'non-ASCII idempotency key'),
      bad({ 'idempotency-key': 'tab\there' }, 'idempotency key with a tab'),
    ),
    weight: 1,
  },
);

// ---------------------------------------------------------------------------------------------
// Bodies

interface Body {
  readonly text?: string | Buffer;
  readonly contentType?: string;
}

const JSON_TYPE = 'application/json';

/** A whole body the contract refuses on any route that takes one (400, 413, 415 or 422). */
const refusedWholeBody: fc.Arbitrary<Part<Body>> = fc.oneof(
  fc.constantFrom(
    bad<Body>({ text: '', contentType: JSON_TYPE }, 'empty JSON body'),
    bad<Body>({ text: '{', contentType: JSON_TYPE }, 'truncated JSON'),
    bad<Body>({ text: '{"name":"a",}', contentType: JSON_TYPE }, 'trailing comma'),
    bad<Body>({ text: "{'name':'a'}", contentType: JSON_TYPE }, 'single quotes'),
    bad<Body>({ text: '{"a":NaN}', contentType: JSON_TYPE }, 'NaN'),
    bad<Body>({ text: '{"a":undefined}', contentType: JSON_TYPE }, 'undefined'),
    bad<Body>({ text: '{"a":1} /* c */', contentType: JSON_TYPE }, 'comment'),
    bad<Body>({ text: '{"a":1}{"b":2}', contentType: JSON_TYPE }, 'two documents'),
    bad<Body>({ text: '\uFEFF{}', contentType: JSON_TYPE }, 'BOM'),
    bad<Body>({ text: '[]', contentType: JSON_TYPE }, 'an array'),
    bad<Body>({ text: '123', contentType: JSON_TYPE }, 'a number'),
    bad<Body>({ text: '"text"', contentType: JSON_TYPE }, 'a string'),
    bad<Body>({ text: 'true', contentType: JSON_TYPE }, 'a boolean'),
    bad<Body>({ text: deepArray(100_000), contentType: JSON_TYPE }, 'array nested 100,000 deep'),
    bad<Body>({ text: deepObject(50_000), contentType: JSON_TYPE }, 'object nested 50,000 deep'),
    bad<Body>({ text: obj([['name', str(LONG.huge[0])], ['model', str('claude-sonnet-4-5')]]), contentType: JSON_TYPE }, 'body over 1 MiB'),
    bad<Body>({ text: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), contentType: JSON_TYPE }, 'invalid UTF-8 in a key'),
    bad<Body>({ text: '{"name":"a","model":"claude-sonnet-4-5"}', contentType: 'text/plain' }, 'text/plain'),
    bad<Body>({ text: 'name=a&model=claude-sonnet-4-5', contentType: 'application/x-www-form-urlencoded' }, 'a form'),
    bad<Body>({ text: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--x--', contentType: 'multipart/form-data; boundary=x' }, 'multipart'),
    bad<Body>({ text: '{"name":"a","model":"claude-sonnet-4-5"}', contentType: 'application/json; charset=latin1' }, 'charset latin1'),
    bad<Body>({ text: Buffer.from('{"name":"a","model":"claude-sonnet-4-5"}', 'utf16le'), contentType: 'application/json; charset=utf-16le' }, 'UTF-16'),
    bad<Body>({ text: '{"name":"a","model":"claude-sonnet-4-5"}', contentType: 'application/merge-patch+json' }, 'merge-patch+json'),
    bad<Body>({ text: '{"name":"a","model":"claude-sonnet-4-5"}', contentType: 'application/xml' }, 'xml content type'),
    bad<Body>({ text: '<agent/>', contentType: 'application/xml' }, 'xml'),
    bad<Body>({ text: '{"name":"a","model":"claude-sonnet-4-5"}' }, 'no content type'),
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 })
    .filter((text) => !isJsonObjectText(text))
    .map((text) => bad<Body>({ text, contentType: JSON_TYPE }, 'random text as JSON')),
  fc.json({ maxDepth: 3 })
    .filter((text) => !isJsonObjectText(text) && text !== 'null')
    .map((text) => bad<Body>({ text, contentType: JSON_TYPE }, 'JSON, not an object')),
);

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** JSON values of the wrong type for a field of the given type (null excluded: it means "omitted"). */
function wrongType(type: 'string' | 'object' | 'boolean' | 'array'): fc.Arbitrary<Json> {
  const numbers = fc.oneof(fc.integer().map(String), fc.constantFrom('0', '-0', '1e308', '-1.5', '12345678901234567890123'));
  const booleans = fc.constantFrom('true', 'false');
  const strings = oddString.map(str);
  const arrays = fc.oneof(fc.constant('[]'), fc.json({ maxDepth: 2 }).map((text) => `[${text}]`));
  const objects = fc.oneof(fc.constant('{}'), fc.constant('{"a":1}'));
  switch (type) {
    case 'string':
      return fc.oneof(numbers, booleans, arrays, objects);
    case 'object':
      return fc.oneof(numbers, booleans, strings, arrays);
    case 'boolean':
      return fc.oneof(numbers, strings.filter((text) => text !== 'true' && text !== 'false'), arrays, objects, fc.constantFrom('"true"', '"false"', '1', '0'));
    case 'array':
      return fc.oneof(numbers, booleans, strings, objects);
  }
}

/** A free-form object (metadata, config) the contract refuses. */
function refusedObject(limitBytes: number): fc.Arbitrary<Part<Json>> {
  return fc.oneof(
    fc.constantFrom(
      bad(obj([['__proto__', '{"isSystem":true}']]), '__proto__ key'),
      bad(obj([['constructor', '{"prototype":{"polluted":true}}']]), 'constructor key'),
      bad(obj([['a', obj([['b', obj([['prototype', '1']])]])]]), 'nested prototype key'),
      bad(obj([['ok', '1'], ['__proto__', 'null']]), '__proto__: null'),
      bad(deepObject(33), '33 levels deep'),
      bad(obj([['x', deepArray(40)]]), 'arrays 40 deep'),
      bad(deepObject(5_000), '5,000 levels deep'),
      bad(obj([['big', str(sized(limitBytes + 10))]]), 'over its size limit'),
      bad(obj([['big', str(sized(limitBytes / 2, 'é'))], ['more', str(sized(limitBytes / 2, 'é'))]]), 'over its size limit in bytes'),
      bad(manyKeys(10_000), '10,000 keys'),
    ),
    unsafeString.map((text) => bad(obj([[text, '1']]), 'unsafe key')),
    unsafeString.map((text) => bad(obj([['k', str(text)]]), 'unsafe value')),
    unsafeString.map((text) => bad(obj([['k', obj([['deeper', arr([str(text)])]])]]), 'unsafe nested value')),
    wrongType('object').map((text) => bad(text, 'wrong type')),
  );
}

type FieldValue = Part<Json>;

/**
 * For each field of the create body, values the contract refuses. `ownProject`: the request is made
 * with a key of the fuzzed project, so that its ids are taken (another project may use them).
 */
function refusedCreateFields(ctx: FuzzContext, ownProject = true): Record<string, fc.Arbitrary<FieldValue>> {
  const takenIds = ownProject ? [...ctx.agentIds, ...ctx.deletedIds] : [];
  const badStr = (why: string, values: string[], extra: fc.Arbitrary<string>[] = []) =>
    fc.oneof(fc.constantFrom(...values), ...extra).map((text) => bad(str(text), why));
  const unsafe = unsafeString.map((text) => bad(str(text), 'NUL or lone surrogate'));
  const typed = (type: 'string' | 'object' | 'boolean' | 'array') => wrongType(type).map((text) => bad(text, `not a ${type}`));
  return {
    id: fc.oneof(
      badStr('invalid id', ['', '-lead', '.dot', '_under', 'a b', 'a/b', 'ä', 'a\nb', 'id?', '%41', ...LONG.id]),
      ...(takenIds.length > 0 ? [fc.constantFrom(...takenIds).map((id) => bad(str(id), 'id taken'))] : []),
      unsafe,
      typed('string'),
    ),
    name: fc.oneof(
      badStr('blank or long name', ['', '   ', '\t\n ', '\u00A0\uFEFF\u3000', ...LONG.name]),
      fc.constant(bad('null', 'null name')),
      unsafe,
      typed('string'),
    ),
    description: fc.oneof(badStr('long description', LONG.description), unsafe, typed('string')),
    model: fc.oneof(
      badStr('unknown model', [
        '', 'gpt-4', 'CLAUDE-SONNET-4-5', 'claude-sonnet-4-5 ', ' claude-sonnet-4-5', 'claude', 'external:', 'external:openai',
        'external:openai:', 'external:openai:%ZZ', 'external:openai:%', 'external::x', 'external:OPENAI:x', 'external:anthropic:x',
        'external:not-connected:model', sized(10_000),
      ], [oddString.filter((text) => !text.startsWith('external:') && !/^(claude|gemini)-/.test(text))]),
      unsafe,
      typed('string'),
    ),
    instructions: fc.oneof(badStr('long instructions', LONG.instructions), unsafe, typed('string')),
    binary: fc.oneof(
      fc.constantFrom(
        bad('{}', 'binary without path'),
        bad('{"path":""}', 'empty binary path'),
        bad('{"path":1}', 'binary path not a string'),
        bad(obj([['path', str(LONG.binaryPath[0])]]), 'long binary path'),
        bad('{"path":"/bin/x","args":"-v"}', 'args not a list'),
        bad('{"path":"/bin/x","args":[1,2]}', 'args not strings'),
        bad(obj([['path', '"/bin/x"'], ['args', arr(Array.from({ length: 65 }, () => '"a"'))]]), '65 args'),
        bad(obj([['path', '"/bin/x"'], ['args', arr([str(sized(4_097))])]]), 'long arg'),
        bad('{"path":"/bin/x","env":{"A":"1"}}', 'unknown binary field'),
        bad('{"path":"/bin/x","__proto__":{"a":1}}', '__proto__ in binary'),
        bad('{"path":"/bin/x\\u0000"}', 'NUL in binary path'),
        bad('{"path":"/bin/x","args":["\\ud800"]}', 'lone surrogate in args'),
      ),
      typed('object'),
    ),
    reasoningEffort: fc.oneof(badStr('unknown effort', ['', 'extreme', 'HIGH', 'Medium', 'none', 'max']), unsafe, typed('string')),
    enabledSkills: fc.oneof(
      fc.constantFrom(
        bad('["Bad Skill"]', 'invalid skill id'),
        bad('[""]', 'empty skill id'),
        bad(arr([str(sized(65, 'a'))]), 'long skill id'),
        bad('["x","x"]', 'duplicate skills'),
        bad('["deep_research","deep_research"]', 'duplicate deep_research'),
        bad(arr(Array.from({ length: 51 }, (_, index) => str(`s${index}`))), '51 skills'),
        bad(arr(Array.from({ length: 20_000 }, (_, index) => str(`s${index}`))), '20,000 skills'),
        bad('["ok",1]', 'a skill not a string'),
        bad('[null]', 'null skill'),
        bad('[["nested"]]', 'nested list'),
      ),
      unsafeString.map((text) => bad(arr([str(text)]), 'unsafe skill')),
      typed('array'),
    ),
    deepResearchModel: fc.oneof(badStr('deep research model', ['gemini-3-pro-preview', 'gemini-3-flash-preview', '', 'gpt-4o']), unsafe, typed('string')),
    metadata: fc.oneof(
      refusedObject(16 * 1024),
      fc.constant(bad(manyKeys(65), '65 metadata keys')),
    ),
    config: refusedObject(64 * 1024),
    version: fc.oneof(badStr('not semver', ['', 'abc', '1', '1.0', '01.0.0', '1.0.0.0', 'v1.0.0', '1.0.0-', '1.0.0+', ' 1.0.0', sized(1_000, '9')]), unsafe, typed('string')),
    user_id: fc.oneof(
      badStr('another user, or no user', ['', 'usr_someone_else', `${ctx.userId}x`, LONG.userId[0]]),
      unsafe,
      typed('string'),
    ),
    isDefault: fc.oneof(fc.constant(bad('true', 'isDefault without internal scope')), typed('boolean')),
    isSystem: fc.oneof(fc.constant(bad('true', 'isSystem without internal scope')), typed('boolean')),
  };
}

const CREATE_FIELDS = ['id', 'name', 'description', 'model', 'instructions', 'binary', 'reasoningEffort', 'enabledSkills', 'deepResearchModel', 'metadata', 'config', 'version', 'user_id', 'isDefault', 'isSystem'];
const UPDATE_FIELDS = [...CREATE_FIELDS.filter((field) => field !== 'user_id'), 'isActive'];

/** Keys no body knows (the contract refuses unknown fields), odd ones included. */
function unknownKey(known: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'userId', 'projectId', 'createdAt', 'revision', 'deleted_at', 'Name', 'name ', '', '\u0000', '\uD800', 'is_default'),
      oddString,
    )
    .filter((key) => !known.includes(key));
}

const validCreateBase: fc.Arbitrary<Map<string, Json>> = fc.constantFrom(
  [['name', '"Fuzz bot"'], ['model', '"claude-sonnet-4-5"']],
  [['name', '"Fuzz bot"'], ['model', '"gemini-3-flash"'], ['reasoningEffort', '"minimal"'], ['metadata', '{"team":"fuzz"}']],
  [['name', '"Fuzz bot"'], ['model', '"claude-haiku-4-5"'], ['enabledSkills', '["web-search"]'], ['config', '{"t":0.2}'], ['version', '"2.0.0"']],
  [['name', '"Fuzz bot"'], ['model', '"claude-sonnet-4-5"'], ['binary', '{"path":"/usr/bin/claude","args":["-p"]}'], ['description', '"d"']],
).map((pairs) => new Map(pairs as readonly (readonly [string, Json])[]));

/** A body with one to three refused parts, on top of an otherwise valid body. */
function refusedFieldsBody(
  base: fc.Arbitrary<Map<string, Json>>,
  fields: Record<string, fc.Arbitrary<FieldValue>>,
  known: readonly string[],
  required: readonly string[],
): fc.Arbitrary<Part<Body>> {
  const mutation: fc.Arbitrary<{ key: string; value?: Json; why: string }> = fc.oneof(
    { arbitrary: fc.oneof(...Object.entries(fields).map(([key, value]) => value.map((part) => ({ key, value: part.value, why: `${key}: ${part.why}` })))), weight: 8 },
    { arbitrary: fc.tuple(unknownKey(known), fc.json({ maxDepth: 2 })).map(([key, value]) => ({ key, value, why: `unknown field ${JSON.stringify(key).slice(0, 40)}` })), weight: 2 },
    ...(required.length > 0 ? [{ arbitrary: fc.constantFrom(...required).map((key) => ({ key, why: `${key} missing` })), weight: 1 }] : []),
  );
  return fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([start, mutations, shuffle]) => {
    const pairs = new Map(start);
    for (const { key, value } of mutations) {
      if (value === undefined) pairs.delete(key);
      else pairs.set(key, value);
    }
    const entries = [...pairs.entries()];
    if (shuffle) entries.reverse();
    return bad<Body>({ text: obj(entries), contentType: JSON_TYPE }, mutations.map((m) => m.why).join('; '));
  });
}

function refusedCreateBody(ctx: FuzzContext, ownProject = true): fc.Arbitrary<Part<Body>> {
  return fc.oneof(
    { arbitrary: refusedFieldsBody(validCreateBase, refusedCreateFields(ctx, ownProject), CREATE_FIELDS, ['name']), weight: 8 },
    { arbitrary: refusedWholeBody, weight: 2 },
  );
}

/** PATCH bodies the contract refuses (null is a value there: it clears a field). */
function refusedUpdateBody(ctx: FuzzContext): fc.Arbitrary<Part<Body>> {
  const fields = refusedCreateFields(ctx);
  const {
    id: _id, user_id: _userId, deepResearchModel: _deepResearchModel, name: _name, model: _model, version: _version, ...kept
  } = fields;
  const nonNull = (arbitrary: fc.Arbitrary<FieldValue>) => arbitrary.filter((part) => part.value !== 'null');
  const updateFields: Record<string, fc.Arbitrary<FieldValue>> = {
    ...kept,
    id: fc.constantFrom('"zz-not-this-one"', '""', '1').map((value) => bad(value, 'id cannot change')),
    name: nonNull(fields.name),
    model: nonNull(fields.model),
    version: fc.oneof(fields.version, fc.constantFrom('"0.0.1"', '"1.0.0"', '"0.9.9"').map((value) => bad(value, 'version not greater'))),
    isActive: wrongType('boolean').map((value) => bad(value, 'isActive: not a boolean')),
  };
  const base = fc.constantFrom(new Map<string, Json>(), new Map([['description', '"patched"']]), new Map([['metadata', '{"patched":true}']]));
  return fc.oneof(
    { arbitrary: refusedFieldsBody(base, updateFields, UPDATE_FIELDS, []), weight: 8 },
    { arbitrary: refusedWholeBody, weight: 2 },
  );
}

/** The body of a restore: none, an empty object, or one it refuses. */
function restoreBody(): fc.Arbitrary<Part<Body>> {
  return fc.oneof(
    fc.constantFrom(good<Body>({}), good<Body>({ text: '{}', contentType: JSON_TYPE }), good<Body>({ text: 'null', contentType: JSON_TYPE })),
    fc.constantFrom(
      bad<Body>({ text: '{"version":1}', contentType: JSON_TYPE }, 'version not a string'),
      bad<Body>({ text: '{"version":"abc"}', contentType: JSON_TYPE }, 'version not semver'),
      bad<Body>({ text: '{"version":"0.0.1"}', contentType: JSON_TYPE }, 'version not greater'),
      bad<Body>({ text: '{"version":"1.0.0"}', contentType: JSON_TYPE }, 'version not greater'),
      bad<Body>({ text: '{"version":"9.0.0","extra":1}', contentType: JSON_TYPE }, 'unknown field'),
      bad<Body>({ text: '{"__proto__":{"version":"9.0.0"}}', contentType: JSON_TYPE }, '__proto__'),
      bad<Body>({ text: '{"version":"9.0.0\\u0000"}', contentType: JSON_TYPE }, 'NUL'),
      bad<Body>({ text: '{"version":"\\ud800"}', contentType: JSON_TYPE }, 'lone surrogate'),
      bad<Body>({ text: '{"version":null,"name":"x"}', contentType: JSON_TYPE }, 'unknown field'),
      bad<Body>({ text: 'false', contentType: JSON_TYPE }, 'false'),
    ),
    refusedWholeBody,
  );
}

// ---------------------------------------------------------------------------------------------
// Paths and query strings

/** A path segment for an agent id: the project's, deleted, another's, or malformed (raw, as sent). */
function idSegment(ctx: FuzzContext): fc.Arbitrary<Part<string>> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ctx.agentIds).map((id) => good(id)), weight: 6 },
    { arbitrary: fc.constantFrom(...ctx.deletedIds).map((id) => bad(id, 'deleted agent')), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        'no-such-agent', 'SEED-0', '%20seed-0', 'seed-0%00', 'seed-0%20', '%', '%ZZ', '%00', '%ED%A0%80', '%C0%80', '%FF', '..', '.',
        '%2e%2e', '%2F', 'a%2Fb', 'a;b', 'a%3Bb', '-lead', sized(65), sized(101), sized(3_000), '%E2%80%AE', '*', '$', 'models%2F',
      ).map((id) => bad(id, 'no such agent')),
      weight: 3,
    },
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 70 }).map((text) => bad(percentEncode(text), 'random id')), weight: 2 },
  );
}

function versionSegment(): fc.Arbitrary<Part<string>> {
  return fc.oneof(
    { arbitrary: fc.constant(good('1.0.0')), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        '9.9.9', '0.0.0', '2.0.0', '1.0.0-rc.1', '999999999999999999999.0.0', 'latest', 'v1.0.0', '1.0', '1', '%00', '%ZZ', '..', sized(300, '1'),
        '1.0.0%00', '%ED%A0%80',
      ).map((version) => bad(version, 'no such version')),
      weight: 3,
    },
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter((text) => text !== '1.0.0').map((text) => bad(percentEncode(text), 'random version')), weight: 1 },
  );
}

const cursorValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', 'x', '%%%', sized(600, 'A'), '!!!!',
    ...[
      { t: '9999-12-31T23:59:59.999Z', i: 'seed-0' }, { t: '0000-01-01T00:00:00.000Z', i: 'a' }, { t: '2026-02-30T00:00:00.000Z', i: 'a' },
      { t: '-271821-04-20T00:00:00.000Z', i: 'a' }, { t: 1, i: 1 }, { t: '2026-01-01T00:00:00.000Z', i: "a'; --" }, { t: '2026-01-01T00:00:00.000Z' },
      { n: 2_147_483_648 }, { n: 1e308 }, { n: -1 }, { n: 0 }, { n: '1' }, { n: 1.5 }, { n: null }, { __proto__: 1 }, [], null, 'str',
    ].map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
  ),
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
  base64url,
);

const queryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'true', 'false', 'TRUE', '1', '0', '-1', '100', '101', '1e2', '0x10', ' 5', 'asc', 'desc', 'ASC', 'null', sized(256), sized(5_000)),
  fc.constantFrom(...UNSAFE, ...ODD_UNICODE),
  oddString,
);

/** A query string of known and unknown parameters, repeated ones, and raw garbage. */
function queryString(names: readonly string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    { arbitrary: fc.constantFrom(...names), weight: 6 },
    { arbitrary: fc.constantFrom('metadata[team]', 'metadata[__proto__]', 'metadata[constructor]', 'metadata[]', 'metadata[a][b]', `metadata[${sized(200, 'k')}]`, 'metadata', 'unknown', '__proto__', 'limit[]'), weight: 2 },
    { arbitrary: oddString, weight: 1 },
  );
  const pair = fc.tuple(name, fc.oneof({ arbitrary: queryValue, weight: 4 }, { arbitrary: cursorValue, weight: 1 })).map(([key, value]) => `${percentEncode(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${percentEncode(value)}`);
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 2 },
    { arbitrary: fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.join('&')}`), weight: 8 },
    { arbitrary: fc.array(fc.constant('metadata[k]=v'), { minLength: 11, maxLength: 12 }).map((pairs) => `?${pairs.map((p, i) => p.replace('k', `k${i}`)).join('&')}`), weight: 1 },
    { arbitrary: fc.constantFrom('?', '?&&&', '?=', '?=x', '?limit', '?%ZZ=1', '?limit=%ZZ', '?q=%ED%A0%80', '?q=%00', '?q=%C0%80', '?limit=1&limit=2', '?cursor=a&cursor=b', '?a[b][c]=1', `?q=${sized(20_000)}`), weight: 2 },
  );
}

const LIST_PARAMS = ['limit', 'cursor', 'order', 'model', 'isActive', 'isDefault', 'skill', 'q'];

// ---------------------------------------------------------------------------------------------
// Requests, route by route

function request(route: string, write: boolean, method: string, path: string, parts: Part<unknown>[], headers: HeaderMap, body: Body = {}): FuzzRequest {
  const all: HeaderMap = { ...headers };
  if (body.contentType !== undefined) all['content-type'] = body.contentType;
  const why = parts.filter((part) => part.bad).map((part) => part.why).join(' + ') || 'no refused part';
  return withToString({ route, write, method, path, headers: all, body: body.text, why });
}

/** fast-check prints a failing request with this: huge bodies cut short. */
function withToString(request: FuzzRequest): FuzzRequest {
  return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
}

export function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) ? `<${request.body.length} bytes>` : request.body;
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([key, value]) => [key, cut(value, 80)]));
  return `${request.method} ${cut(request.path, 200)} [${request.why}] headers=${JSON.stringify(headers)} body=${JSON.stringify(cut(body, 300))}`;
}

/** Ensures at least one refused part (a write route must refuse the request). */
function refused<T extends Part<unknown>[]>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arbitrary.filter((parts) => parts.some((part) => part.bad));
}

export function createRequests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const parts = fc.oneof(
    { arbitrary: fc.tuple(anyAuth(ctx, true), refusedCreateBody(ctx), idempotencyKeyHeader), weight: 8 },
    // Another tenant's valid key is no refusal on a create: only with a refused body.
    { arbitrary: fc.tuple(fc.constant(good<HeaderMap>({ authorization: `Bearer ${ctx.otherTenantToken}` })), refusedCreateBody(ctx, false), idempotencyKeyHeader), weight: 1 },
    { arbitrary: fc.tuple(refusedAuth(ctx, true), fc.constant(good<Body>({ text: '{"name":"ok","model":"claude-sonnet-4-5"}', contentType: JSON_TYPE })), idempotencyKeyHeader), weight: 2 },
  );
  return refused(parts).chain(([auth, body, key]) =>
    noiseHeaders.map((noise) => request('POST /v1/agents', true, 'POST', '/v1/agents', [auth, body, key], { ...noise, ...auth.value, ...key.value }, body.value)),
  );
}

export function updateRequests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const ifMatch: fc.Arbitrary<Part<HeaderMap>> = fc.oneof(
    { arbitrary: fc.constant(good({})), weight: 4 },
    { arbitrary: fc.constantFrom('"0-0"', '"stale"', 'W/"weak"', '"a", "b"', '""', 'garbage', '"').map((value) => bad({ 'if-match': value }, `If-Match ${value}`)), weight: 1 },
  );
  const body = fc.oneof(
    { arbitrary: refusedUpdateBody(ctx), weight: 5 },
    { arbitrary: fc.constantFrom(good<Body>({ text: '{}', contentType: JSON_TYPE }), good<Body>({ text: '{"description":"fine"}', contentType: JSON_TYPE })), weight: 2 },
  );
  return refused(fc.tuple(anyAuth(ctx, true), idSegment(ctx), body, ifMatch)).chain(([auth, id, part, precondition]) =>
    noiseHeaders.map((noise) =>
      request('PATCH /v1/agents/{id}', true, 'PATCH', `/v1/agents/${id.value}`, [auth, id, part, precondition], { ...noise, ...auth.value, ...precondition.value }, part.value),
    ),
  );
}

export function deleteRequests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const otherTenant = fc.constant(bad({ authorization: `Bearer ${ctx.otherTenantToken}` }, "another tenant's key"));
  const hard: fc.Arbitrary<Part<string>> = fc.oneof(
    { arbitrary: fc.constantFrom(good(''), good('?hard=false'), good('?hard=true')), weight: 3 },
    {
      // (hard[]=true is no refusal: an unknown parameter, ignored, so a soft delete)
      arbitrary: fc.constantFrom('?hard=TRUE', '?hard=1', '?hard=yes', '?hard=', '?hard', '?hard=true&hard=true', '?hard=true&hard=false', '?hard=%00', `?hard=${sized(300)}`)
        .map((query) => bad(query, `hard ${query}`)),
      weight: 2,
    },
  );
  return refused(fc.tuple(fc.oneof(anyAuth(ctx, true), otherTenant), idSegment(ctx), hard)).chain(([auth, id, query]) =>
    fc.tuple(noiseHeaders, fc.option(refusedWholeBody, { freq: 5 })).map(([noise, body]) =>
      request('DELETE /v1/agents/{id}', true, 'DELETE', `/v1/agents/${id.value}${query.value}`, [auth, id, query], { ...noise, ...auth.value }, body?.value ?? {}),
    ),
  );
}

export function restoreRequests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const otherTenant = fc.constant(bad({ authorization: `Bearer ${ctx.otherTenantToken}` }, "another tenant's key"));
  return refused(fc.tuple(fc.oneof(anyAuth(ctx, true), otherTenant), idSegment(ctx), versionSegment(), restoreBody(), idempotencyKeyHeader)).chain(
    ([auth, id, version, body, key]) =>
      noiseHeaders.map((noise) =>
        request(
          'POST /v1/agents/{id}/versions/{version}/restore', true, 'POST', `/v1/agents/${id.value}/versions/${version.value}/restore`,
          [auth, id, version, body, key], { ...noise, ...auth.value, ...key.value }, body.value,
        ),
      ),
  );
}

export function readRequests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const auth = fc.oneof(anyAuth(ctx, false), fc.constant(good({ authorization: `Bearer ${ctx.otherTenantToken}` })));
  const get = (route: string, path: fc.Arbitrary<string>) =>
    fc.tuple(auth, path, noiseHeaders).map(([credentials, target, noise]) => request(route, false, 'GET', target, [credentials], { ...noise, ...credentials.value }));
  return fc.oneof(
    { arbitrary: get('GET /v1/agents', queryString(LIST_PARAMS).map((query) => `/v1/agents${query}`)), weight: 4 },
    { arbitrary: get('GET /v1/agents/{id}', fc.tuple(idSegment(ctx), queryString(['x'])).map(([id, query]) => `/v1/agents/${id.value}${query}`)), weight: 3 },
    { arbitrary: get('GET /v1/agents/{id}/versions', fc.tuple(idSegment(ctx), queryString(['limit', 'cursor', 'order'])).map(([id, query]) => `/v1/agents/${id.value}/versions${query}`)), weight: 3 },
    { arbitrary: get('GET /v1/agents/{id}/versions/{version}', fc.tuple(idSegment(ctx), versionSegment()).map(([id, version]) => `/v1/agents/${id.value}/versions/${version.value}`)), weight: 2 },
    { arbitrary: get('GET /v1/agents/models', queryString(['tier', 'x']).map((query) => `/v1/agents/models${query}`)), weight: 2 },
  );
}

/** Wrong methods, unknown paths, HEAD and OPTIONS: never a 5xx, never a write. */
export function strayRequests(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const targets = fc.constantFrom(
    ['PUT', '/v1/agents'], ['PUT', `/v1/agents/${ctx.agentIds[0]}`], ['POST', `/v1/agents/${ctx.agentIds[0]}`], ['DELETE', '/v1/agents'],
    ['PATCH', '/v1/agents'], ['POST', '/v1/agents/models'], ['DELETE', '/v1/agents/models'], ['PATCH', '/v1/agents/models'],
    ['POST', `/v1/agents/${ctx.agentIds[0]}/versions`], ['POST', `/v1/agents/${ctx.agentIds[0]}/versions/1.0.0`],
    ['GET', `/v1/agents/${ctx.agentIds[0]}/versions/1.0.0/restore`], ['DELETE', `/v1/agents/${ctx.agentIds[0]}/versions/1.0.0`],
    ['GET', '/v1/agent'], ['GET', '/v2/agents'], ['GET', '/v1/agents/'], ['GET', '//v1//agents'], ['GET', '/v1/agents/../agents'],
    ['HEAD', '/v1/agents'], ['HEAD', `/v1/agents/${ctx.agentIds[0]}`], ['OPTIONS', '/v1/agents'], ['OPTIONS', `/v1/agents/${ctx.agentIds[0]}`],
    ['POST', `/v1/agents/${ctx.agentIds[0]}/versions/1.0.0/restore/x`], ['GET', `/${sized(5_000, 'p')}`], ['GET', '/%ZZ'], ['GET', '/v1/agents?%'],
  );
  return fc.tuple(targets, anyAuth(ctx, true), fc.option(refusedWholeBody, { freq: 2 })).map(([[method, path], auth, body]) => {
    const sendsBody = method !== 'GET' && method !== 'HEAD';
    return request(`${method} (stray)`, method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS', method, path, [auth], auth.value, sendsBody ? body?.value ?? {} : {});
  });
}
