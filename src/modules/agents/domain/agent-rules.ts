import type { Violation } from '../../../shared/domain/domain-error.js';
import { isJsonObject, type JsonObject } from './json-object.js';
import { parseModelRef, supportsEffort, type ModelRef } from './model-ref.js';
import { isReasoningEffort, REASONING_EFFORTS } from './reasoning-effort.js';
import { isSemver } from './semver.js';

export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Ids that name a route under /v1/agents/ (GET /v1/agents/models), so no agent may take them. */
export const RESERVED_AGENT_IDS: readonly string[] = ['models'];
export const SKILL_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const DEEP_RESEARCH_SKILL = 'deep_research';
export const DEEP_RESEARCH_MODELS = ['gemini-3-flash-preview', 'gemini-3-pro-preview'] as const;
export type DeepResearchModel = (typeof DEEP_RESEARCH_MODELS)[number];

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
 * body, on update the agent with the patch applied. Absent means "not given".
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

/** Every rule of the contract that a candidate breaks (the 422 ones), all at once. */
export function agentViolations(candidate: AgentCandidate): Violation[] {
  const found: Violation[] = [];
  const add = (path: (string | number)[], code: string, message: string) => found.push({ path, code, message });

  if (candidate.id !== undefined) checkId(candidate.id, add);
  checkName(candidate.name, add);
  checkMaxLength(candidate.description, 'description', LIMITS.descriptionLength, add);
  const model = checkModel(candidate.model, add);
  checkMaxLength(candidate.instructions, 'instructions', LIMITS.instructionsLength, add);
  if (candidate.binary) checkBinary(candidate.binary, add);
  checkReasoningEffort(candidate.reasoningEffort, model, add);
  checkSkills(candidate.enabledSkills ?? [], add);
  checkDeepResearchModel(candidate.deepResearchModel, candidate.enabledSkills ?? [], add);
  checkObject(candidate.metadata, 'metadata', LIMITS.metadataBytes, add);
  if (isJsonObject(candidate.metadata) && Object.keys(candidate.metadata).length > LIMITS.metadataKeys) {
    add(['metadata'], 'too_many_keys', `metadata may have at most ${LIMITS.metadataKeys} top-level keys`);
  }
  checkObject(candidate.config, 'config', LIMITS.configBytes, add);
  if (candidate.version !== undefined && !isSemver(candidate.version)) {
    add(['version'], 'invalid_semver', 'version must be a semantic version such as 1.0.0');
  }
  if (candidate.userId !== undefined && (charLength(candidate.userId) < 1 || charLength(candidate.userId) > LIMITS.userIdLength)) {
    add(['user_id'], 'string_length', `user_id must be 1 to ${LIMITS.userIdLength} characters`);
  }
  return found;
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
 * whose shape is wrong, its well-shaped fields typed as the request DTO says): each given field's own rules. What depends on the stored agent (merged
 * metadata and config, a deepResearchModel whose skill the patch does not list) waits for it.
 */
export function patchRequestViolations(patch: Record<string, unknown>): Violation[] {
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined && value !== null));
  const fields = new Set(Object.keys(given));
  return [...nullViolations(patch), ...agentViolations(given as AgentCandidate).filter(
    ({ path: [field], code }) =>
      fields.has(String(field)) &&
      !JUDGED_ON_THE_PATCHED_AGENT.includes(field) &&
      !(code === 'skill_required' && !fields.has('enabledSkills')),
  )];
}

/** The fields a PATCH cannot clear: null is a value only for the optional ones. */
export const NOT_NULLABLE_FIELDS = ['name', 'model', 'isDefault', 'isSystem', 'isActive'] as const;

/** A PATCH's nulls on fields that cannot be cleared. */
export function nullViolations(patch: { readonly [field in (typeof NOT_NULLABLE_FIELDS)[number]]?: unknown }): Violation[] {
  return NOT_NULLABLE_FIELDS.filter((field) => patch[field] === null).map((field) => ({ path: [field], code: 'null_not_allowed', message: `${field} cannot be null` }));
}

function checkId(id: string, add: Add): void {
  if (charLength(id) < 1 || charLength(id) > LIMITS.idLength) {
    add(['id'], 'string_length', `id must be 1 to ${LIMITS.idLength} characters`);
  } else if (!AGENT_ID_PATTERN.test(id)) {
    add(['id'], 'string_pattern_mismatch', 'id must start with a letter or digit and hold only letters, digits, ".", "_" and "-"');
  } else if (RESERVED_AGENT_IDS.includes(id)) {
    add(['id'], 'reserved_id', `The id ${id} is reserved: it names a route`);
  }
}

function checkName(name: string | undefined, add: Add): void {
  if (name === undefined) return add(['name'], 'missing', 'Field required');
  const length = charLength(name.trim());
  if (length < 1 || length > LIMITS.nameLength) {
    add(['name'], 'string_length', `name must be 1 to ${LIMITS.nameLength} characters after trimming`);
  }
}

function checkModel(model: string | undefined, add: Add): ModelRef | null {
  if (model === undefined) {
    add(['model'], 'missing', 'Field required');
    return null;
  }
  const ref = parseModelRef(model);
  if (ref === null) {
    add(['model'], 'unknown_model', `Unknown model "${model.slice(0, 100)}": use a managed model id or external:{providerType}:{urlEncodedModelId}`);
  }
  return ref;
}

function checkReasoningEffort(effort: string | null | undefined, model: ModelRef | null, add: Add): void {
  if (effort === undefined || effort === null) return;
  if (!isReasoningEffort(effort)) {
    return add(['reasoningEffort'], 'enum', `reasoningEffort must be one of ${REASONING_EFFORTS.join(', ')}`);
  }
  if (model && !supportsEffort(model, effort)) {
    const supported = model.kind === 'managed' ? model.model.reasoningEfforts.join(', ') : '';
    add(['reasoningEffort'], 'unsupported_reasoning_effort', `${model.id} supports the reasoning efforts ${supported}`);
  }
}

function checkBinary(binary: AgentBinary, add: Add): void {
  if (charLength(binary.path) < 1 || charLength(binary.path) > LIMITS.binaryPathLength) {
    add(['binary', 'path'], 'string_length', `binary.path must be 1 to ${LIMITS.binaryPathLength} characters`);
  }
  const args = binary.args ?? [];
  if (args.length > LIMITS.binaryArgs) {
    add(['binary', 'args'], 'too_long', `binary.args may hold at most ${LIMITS.binaryArgs} items`);
  }
  args.forEach((arg, index) => {
    if (charLength(arg) > LIMITS.binaryArgLength) {
      add(['binary', 'args', index], 'string_too_long', `Each argument may be at most ${LIMITS.binaryArgLength} characters`);
    }
  });
}

function checkSkills(skills: readonly string[], add: Add): void {
  if (skills.length > LIMITS.skills) {
    add(['enabledSkills'], 'too_long', `enabledSkills may hold at most ${LIMITS.skills} skills`);
  }
  const seen = new Set<string>();
  skills.forEach((skill, index) => {
    if (!SKILL_ID_PATTERN.test(skill)) {
      add(['enabledSkills', index], 'string_pattern_mismatch', 'A skill id is 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit');
    } else if (seen.has(skill)) {
      add(['enabledSkills', index], 'duplicate_item', `The skill ${skill} is listed twice`);
    }
    seen.add(skill);
  });
}

function checkDeepResearchModel(model: string | null | undefined, skills: readonly string[], add: Add): void {
  if (model === undefined || model === null) return;
  if (!(DEEP_RESEARCH_MODELS as readonly string[]).includes(model)) {
    add(['deepResearchModel'], 'enum', `deepResearchModel must be one of ${DEEP_RESEARCH_MODELS.join(', ')}`);
  } else if (!skills.includes(DEEP_RESEARCH_SKILL)) {
    add(['deepResearchModel'], 'skill_required', `deepResearchModel needs the ${DEEP_RESEARCH_SKILL} skill in enabledSkills`);
  }
}

function checkMaxLength(text: string | null | undefined, field: string, max: number, add: Add): void {
  if (typeof text === 'string' && charLength(text) > max) {
    add([field], 'string_too_long', `${field} must be at most ${max} characters`);
  }
}

function checkObject(value: JsonObject | undefined, field: string, maxBytes: number, add: Add): void {
  if (value === undefined) return;
  if (Buffer.byteLength(JSON.stringify(value)) > maxBytes) {
    add([field], 'too_large', `${field} must be at most ${maxBytes / 1024} KiB serialized`);
  }
}
