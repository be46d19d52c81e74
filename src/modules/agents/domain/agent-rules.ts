import type { Violation } from '../../../shared/domain/domain-error.js';
import { isJsonObject, type JsonObject } from './json-object.js';
import { defaultEffortOf, EXTERNAL_DEFAULT_EFFORT, parseModelRef, supportsEffort, type ModelRef } from './model-ref.js';
import { isReasoningEffort, REASONING_EFFORTS, type ReasoningEffort } from './reasoning-effort.js';
import { isSemver } from './semver.js';

export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Ids that name a route under /v1/agents/ (GET /v1/agents/models), so no agent may take them. */
export const RESERVED_AGENT_IDS: readonly string[] = ['models'];
export const SKILL_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const DEEP_RESEARCH_SKILL = 'deep_research';
export const DEEP_RESEARCH_MODELS = ['gemini-3-flash-preview', 'gemini-3-pro-preview'] as const;
export type DeepResearchModel = (typeof DEEP_RESEARCH_MODELS)[number];

function isDeepResearchModel(value: string): value is DeepResearchModel {
  return (DEEP_RESEARCH_MODELS as readonly string[]).includes(value);
}

export const LIMITS = {
  idLength: 64,
  nameLength: 255,
  descriptionLength: 2_000,
  instructionsLength: 100_000,
  binaryPathLength: 1_024,
  binaryArgs: 64,
  binaryArgLength: 4_096,
  skills: 50,
  metadataBytes: 16 * 1024,
  metadataKeys: 64,
  configBytes: 64 * 1024,
  userIdLength: 128,
} as const;

export interface AgentBinary {
  readonly path: string;
  readonly args?: readonly string[];
}

/**
 * An agent's fields as a caller asked for them, before any rule is checked: on create the request
 * body, on update the agent with the patch applied. Absent (or null) means "not given".
 */
export interface AgentCandidate {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string | null;
  readonly model?: string;
  readonly instructions?: string | null;
  readonly binary?: AgentBinary | null;
  readonly reasoningEffort?: string | null;
  readonly enabledSkills?: readonly string[];
  readonly deepResearchModel?: string | null;
  readonly metadata?: JsonObject;
  readonly config?: JsonObject;
  readonly version?: string;
  readonly userId?: string;
}

/** What a field's rule may look at beyond its own value: the whole candidate, and its model parsed. */
interface RuleContext {
  readonly candidate: AgentCandidate;
  readonly model: ModelRef | null;
}

/**
 * One field's rule. `parse` checks a given value, reports every rule it breaks through `add`, and
 * returns it parsed (trimmed, narrowed), or undefined when it broke one. `omitted` says what an
 * omitted field is: 'required' (a 422), 'optional' (it stays absent: the aggregate decides), or
 * its default. A PATCH's null on a field that can be cleared is an omission (the default), and so
 * is a field that a version stored before the field existed lacks.
 */
interface FieldRule<Raw, Parsed> {
  readonly parse: (value: Raw, add: Add, context: RuleContext) => Parsed | undefined;
  readonly omitted: 'required' | 'optional' | ((context: RuleContext) => Parsed);
}

/**
 * Every field's rule, in the order a 422 lists their problems: one entry per field of the candidate
 * (the compiler refuses a field without one). A versioned field is also named in VERSIONED_FIELDS.
 */
const FIELD_RULES = {
  id: { parse: (id, add) => checkId(id, add), omitted: 'optional' },
  name: { parse: (name, add) => checkName(name, add), omitted: 'required' },
  description: { parse: (text, add) => checkMaxLength(text, 'description', LIMITS.descriptionLength, add), omitted: (): string | null => null },
  model: { parse: (id, add, { model }) => checkModel(id, model, add), omitted: 'required' },
  instructions: { parse: (text, add) => checkMaxLength(text, 'instructions', LIMITS.instructionsLength, add), omitted: (): string | null => null },
  binary: { parse: (binary, add) => checkBinary(binary, add), omitted: (): AgentBinary | null => null },
  reasoningEffort: {
    parse: (effort, add, { model }) => checkReasoningEffort(effort, model, add),
    // With a broken model (reported on its own) the effort is never used.
    omitted: ({ model }): ReasoningEffort => (model === null ? EXTERNAL_DEFAULT_EFFORT : defaultEffortOf(model)),
  },
  enabledSkills: { parse: (skills, add) => checkSkills(skills, add), omitted: (): readonly string[] => [] },
  deepResearchModel: {
    parse: (model, add, { candidate }) => checkDeepResearchModel(model, candidate.enabledSkills ?? [], add),
    omitted: (): DeepResearchModel | null => null,
  },
  metadata: { parse: (metadata, add) => checkMetadata(metadata, add), omitted: (): JsonObject => ({}) },
  config: { parse: (config, add) => checkObject(config, 'config', LIMITS.configBytes, add), omitted: (): JsonObject => ({}) },
  version: { parse: (version, add) => checkVersion(version, add), omitted: 'optional' },
  userId: { parse: (userId, add) => checkUserId(userId, add), omitted: 'optional' },
} satisfies { readonly [K in keyof AgentCandidate]-?: FieldRule<NonNullable<AgentCandidate[K]>, unknown> };

type Rules = typeof FIELD_RULES;
type ParsedOf<R extends { parse: (...args: never[]) => unknown; omitted: unknown }> =
  | Exclude<ReturnType<R['parse']>, undefined>
  | (R['omitted'] extends 'optional' ? undefined : R['omitted'] extends (context: RuleContext) => infer D ? D : never);

/** A candidate that broke no rule, parsed: each field as the agent holds it, omitted ones at their defaults. */
export type ParsedAgent = { readonly [K in keyof Rules]: ParsedOf<Rules[K]> };

/** The candidate's fields, in the order of their rules. */
export const CANDIDATE_FIELDS = Object.keys(FIELD_RULES) as readonly (keyof AgentCandidate)[];

/**
 * The fields whose change makes a new version, in the order a version lists them. The version
 * snapshot (configurationOf), the stored versions' defaults, the version view and the diffs of
 * the change events (changedFields) all follow this one list.
 */
export const VERSIONED_FIELDS = [
  'name', 'description', 'model', 'instructions', 'binary', 'reasoningEffort', 'enabledSkills', 'deepResearchModel', 'config',
] as const satisfies readonly (keyof ParsedAgent)[];
export type VersionedField = (typeof VERSIONED_FIELDS)[number];

export type ParseResult =
  | { readonly ok: true; readonly agent: ParsedAgent; readonly model: ModelRef }
  | { readonly ok: false; readonly violations: Violation[] };

/** The candidate parsed, or every rule of the contract it breaks (the 422 ones), all at once. */
export function parseAgent(candidate: AgentCandidate): ParseResult {
  const found: Violation[] = [];
  const add: Add = (path, code, message) => found.push({ path, code, message });
  const context: RuleContext = { candidate, model: typeof candidate.model === 'string' ? parseModelRef(candidate.model) : null };
  const parsed: Record<string, unknown> = {};
  for (const field of CANDIDATE_FIELDS) {
    const rule = FIELD_RULES[field] as unknown as FieldRule<unknown, unknown>;
    const value = candidate[field];
    if (value !== undefined && value !== null) parsed[field] = rule.parse(value, add, context);
    else if (rule.omitted === 'required') add([field], 'missing', 'Field required');
    else if (rule.omitted !== 'optional') parsed[field] = rule.omitted(context);
  }
  if (found.length > 0 || context.model === null) return { ok: false, violations: found };
  // No rule broken: each field holds what its rule returned, so this is the ParsedAgent its type says.
  return { ok: true, agent: parsed as ParsedAgent, model: context.model };
}

/** Every rule of the contract that a candidate breaks (the 422 ones), all at once. */
export function agentViolations(candidate: AgentCandidate): Violation[] {
  const result = parseAgent(candidate);
  return result.ok ? [] : result.violations;
}

/**
 * `source` with each of `fields` it lacks at the field's default, judged as the rules judge an
 * omitted field: how a version stored before a field existed reads back.
 */
export function withDefaults<K extends keyof ParsedAgent>(fields: readonly K[], source: Readonly<Record<string, unknown>>): Record<K, unknown> {
  const context: RuleContext = { candidate: {}, model: typeof source.model === 'string' ? parseModelRef(source.model) : null };
  const complete = {} as Record<K, unknown>;
  for (const field of fields) {
    const { omitted } = FIELD_RULES[field] as unknown as FieldRule<unknown, unknown>;
    complete[field] = source[field] !== undefined ? source[field] : typeof omitted === 'function' ? omitted(context) : undefined;
  }
  return complete;
}

type Add = (path: (string | number)[], code: string, message: string) => void;

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * A text's length in characters as the contract and the published schema's minLength/maxLength
 * count them: Unicode code points, so an emoji is one character, not String#length's two units.
 */
function charLength(text: string): number {
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

/**
 * The rules a create request is judged by before its workspace is known (to list every problem of
 * a request whose shape is wrong): an omitted model will be the workspace's default, not a problem.
 */
export function createRequestViolations(candidate: AgentCandidate): Violation[] {
  const violations = agentViolations(candidate);
  return candidate.model === undefined ? violations.filter((violation) => violation.path[0] !== 'model') : violations;
}

/** The fields a PATCH judges on the patched agent only: merge patches, and the id (which never changes). */
const JUDGED_ON_THE_PATCHED_AGENT: readonly (string | number)[] = ['id', 'metadata', 'config'];

/**
 * The rules a PATCH body is judged by before its agent is loaded (to list every problem of a body
 * whose shape is wrong; its well-shaped fields are typed as the request DTO says): each given
 * field's own rules. What depends on the stored agent (merged metadata and config, a
 * deepResearchModel whose skill the patch does not list) waits for it.
 */
export function patchRequestViolations(patch: Record<string, unknown>): Violation[] {
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined && value !== null));
  const fields = new Set(Object.keys(given));
  const ownRules = agentViolations(given as AgentCandidate).filter(
    ({ path: [field], code }) =>
      fields.has(String(field)) && !JUDGED_ON_THE_PATCHED_AGENT.includes(field) && !(code === 'skill_required' && !fields.has('enabledSkills')),
  );
  return [...nullViolations(patch), ...ownRules];
}

/** The fields a PATCH cannot clear: null is a value only for the optional ones. */
export const NOT_NULLABLE_FIELDS = ['name', 'model', 'isDefault', 'isSystem', 'isActive'] as const;

/** A PATCH's nulls on fields that cannot be cleared. */
export function nullViolations(patch: { readonly [field in (typeof NOT_NULLABLE_FIELDS)[number]]?: unknown }): Violation[] {
  return NOT_NULLABLE_FIELDS.filter((field) => patch[field] === null).map((field) => ({ path: [field], code: 'null_not_allowed', message: `${field} cannot be null` }));
}

function checkId(id: string, add: Add): string | undefined {
  if (charLength(id) < 1 || charLength(id) > LIMITS.idLength) {
    add(['id'], 'string_length', `id must be 1 to ${LIMITS.idLength} characters`);
  } else if (!AGENT_ID_PATTERN.test(id)) {
    add(['id'], 'string_pattern_mismatch', 'id must start with a letter or digit and hold only letters, digits, ".", "_" and "-"');
  } else if (RESERVED_AGENT_IDS.includes(id)) {
    add(['id'], 'reserved_id', `The id ${id} is reserved: it names a route`);
  } else {
    return id;
  }
  return undefined;
}

/** The name trimmed. */
function checkName(name: string, add: Add): string | undefined {
  const trimmed = name.trim();
  const length = charLength(trimmed);
  if (length >= 1 && length <= LIMITS.nameLength) return trimmed;
  add(['name'], 'string_length', `name must be 1 to ${LIMITS.nameLength} characters after trimming`);
  return undefined;
}

/** The model's id, once `ref` (the id parsed) says it names a model. */
function checkModel(id: string, ref: ModelRef | null, add: Add): string | undefined {
  if (ref !== null) return ref.id;
  add(['model'], 'unknown_model', `Unknown model "${id.slice(0, 100)}": use a managed model id or external:{providerType}:{urlEncodedModelId}`);
  return undefined;
}

function checkReasoningEffort(effort: string, model: ModelRef | null, add: Add): ReasoningEffort | undefined {
  if (!isReasoningEffort(effort)) {
    add(['reasoningEffort'], 'enum', `reasoningEffort must be one of ${REASONING_EFFORTS.join(', ')}`);
    return undefined;
  }
  if (model && !supportsEffort(model, effort)) {
    const supported = model.kind === 'managed' ? model.model.reasoningEfforts.join(', ') : '';
    add(['reasoningEffort'], 'unsupported_reasoning_effort', `${model.id} supports the reasoning efforts ${supported}`);
    return undefined;
  }
  return effort;
}

function checkBinary(binary: AgentBinary, add: Add): AgentBinary | undefined {
  let broken = false;
  const report: Add = (path, code, message) => {
    broken = true;
    add(path, code, message);
  };
  if (charLength(binary.path) < 1 || charLength(binary.path) > LIMITS.binaryPathLength) {
    report(['binary', 'path'], 'string_length', `binary.path must be 1 to ${LIMITS.binaryPathLength} characters`);
  }
  const args = binary.args ?? [];
  if (args.length > LIMITS.binaryArgs) {
    report(['binary', 'args'], 'too_long', `binary.args may hold at most ${LIMITS.binaryArgs} items`);
  }
  args.forEach((arg, index) => {
    if (charLength(arg) > LIMITS.binaryArgLength) {
      report(['binary', 'args', index], 'string_too_long', `Each argument may be at most ${LIMITS.binaryArgLength} characters`);
    }
  });
  return broken ? undefined : binary;
}

function checkSkills(skills: readonly string[], add: Add): readonly string[] | undefined {
  let broken = skills.length > LIMITS.skills;
  if (broken) add(['enabledSkills'], 'too_long', `enabledSkills may hold at most ${LIMITS.skills} skills`);
  const seen = new Set<string>();
  skills.forEach((skill, index) => {
    if (!SKILL_ID_PATTERN.test(skill)) {
      broken = true;
      add(['enabledSkills', index], 'string_pattern_mismatch', 'A skill id is 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit');
    } else if (seen.has(skill)) {
      broken = true;
      add(['enabledSkills', index], 'duplicate_item', `The skill ${skill} is listed twice`);
    }
    seen.add(skill);
  });
  return broken ? undefined : skills;
}

function checkDeepResearchModel(model: string, skills: readonly string[], add: Add): DeepResearchModel | undefined {
  if (!isDeepResearchModel(model)) {
    add(['deepResearchModel'], 'enum', `deepResearchModel must be one of ${DEEP_RESEARCH_MODELS.join(', ')}`);
  } else if (!skills.includes(DEEP_RESEARCH_SKILL)) {
    add(['deepResearchModel'], 'skill_required', `deepResearchModel needs the ${DEEP_RESEARCH_SKILL} skill in enabledSkills`);
  } else {
    return model;
  }
  return undefined;
}

function checkMaxLength(text: string, field: string, max: number, add: Add): string | undefined {
  if (typeof text !== 'string' || charLength(text) <= max) return text;
  add([field], 'string_too_long', `${field} must be at most ${max} characters`);
  return undefined;
}

function checkObject(value: JsonObject, field: string, maxBytes: number, add: Add): JsonObject | undefined {
  if (Buffer.byteLength(JSON.stringify(value)) <= maxBytes) return value;
  add([field], 'too_large', `${field} must be at most ${maxBytes / 1024} KiB serialized`);
  return undefined;
}

function checkMetadata(metadata: JsonObject, add: Add): JsonObject | undefined {
  let parsed = checkObject(metadata, 'metadata', LIMITS.metadataBytes, add);
  if (isJsonObject(metadata) && Object.keys(metadata).length > LIMITS.metadataKeys) {
    add(['metadata'], 'too_many_keys', `metadata may have at most ${LIMITS.metadataKeys} top-level keys`);
    parsed = undefined;
  }
  return parsed;
}

function checkVersion(version: string, add: Add): string | undefined {
  if (isSemver(version)) return version;
  add(['version'], 'invalid_semver', 'version must be a semantic version such as 1.0.0');
  return undefined;
}

function checkUserId(userId: string, add: Add): string | undefined {
  if (charLength(userId) >= 1 && charLength(userId) <= LIMITS.userIdLength) return userId;
  add(['user_id'], 'string_length', `user_id must be 1 to ${LIMITS.userIdLength} characters`);
  return undefined;
}
