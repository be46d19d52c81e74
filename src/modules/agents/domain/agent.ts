import { ValidationFailedError, type Violation } from '../../../shared/domain/domain-error.js';
import { tierReaches, type Tier } from '../../../shared/domain/tier.js';
import { newAgentId } from './agent-id.js';
import { InternalOnlyError, ModelLockedError, ProviderNotConnectedError } from './agent.errors.js';
import { NOT_NULLABLE_FIELDS, nullViolations, parseAgent, VERSIONED_FIELDS, type AgentCandidate } from './agent-rules.js';
import { applyMergePatch } from './json-merge-patch.js';
import type { JsonObject } from './json-object.js';
import { requiredTierOf, type ModelRef } from './model-ref.js';
import { compareSemver, isSemver, nextPatch } from './semver.js';
import { configurationOf, sameConfiguration, type AgentConfiguration, type RecordedVersion } from './agent-version.js';

export const INITIAL_VERSION = '1.0.0';

/** An agent: its versioned configuration, and what is not versioned (identity, flags, metadata). */
export interface AgentProps extends AgentConfiguration {
  readonly id: string;
  readonly projectId: string;
  readonly userId: string;
  readonly isDefault: boolean;
  readonly isSystem: boolean;
  readonly isActive: boolean;
  readonly metadata: JsonObject;
  readonly version: string;
  /** Goes up by one at every change of the agent; the ETag is made of it. */
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastRunAt: Date | null;
}

export interface NewAgent extends AgentCandidate {
  readonly isDefault?: boolean;
  readonly isSystem?: boolean;
}

/**
 * A change to an agent as PATCH states it: absent keeps a field, null clears an optional one (back
 * to the default a create gives it: reasoningEffort to the model's), metadata and config are JSON
 * merge patches. Every field of a candidate but the owner, and the flags.
 */
export type AgentPatch = { readonly [K in Exclude<keyof AgentCandidate, 'userId'>]?: AgentCandidate[K] | null } & {
  readonly isDefault?: boolean | null;
  readonly isSystem?: boolean | null;
  readonly isActive?: boolean | null;
};

/** The fields of an agent's state that a PATCH sets: the versioned ones and the metadata. */
const PATCHED_FIELDS = [...VERSIONED_FIELDS, 'metadata'] as const;
type PatchedField = (typeof PATCHED_FIELDS)[number];
/** Patched as JSON merge patches (RFC 7396) rather than replaced. */
const MERGED_FIELDS = ['metadata', 'config'] as const satisfies readonly PatchedField[];
const KEPT_ON_NULL: ReadonlySet<string> = new Set(NOT_NULLABLE_FIELDS);

export interface Actor {
  readonly userId: string;
  readonly internal: boolean;
}

/** Who asks, and what their workspace reaches: what the rules beyond the 422 ones depend on. */
export interface ChangeContext {
  readonly actor: Actor;
  readonly tier: Tier;
  /** Provider types the workspace has connected; consulted for external models only. */
  readonly connectedProviders: readonly string[];
  /** The time of the change: read once the agent is locked, so that changes are timed in the order they apply. */
  readonly now: Date;
}

export interface CreationContext extends ChangeContext {
  readonly projectId: string;
}

export class Agent {
  /** The version this change recorded, for the repository to store with it. */
  private recorded: RecordedVersion | null = null;

  private props: AgentProps;

  private constructor(props: AgentProps) {
    this.props = Object.freeze({ ...props });
  }

  /** A new agent, or the error naming why not: every 422 problem at once, else the first refusal. */
  static create(input: NewAgent, context: CreationContext): Agent {
    const parsed = parseAgent(input);
    if (!parsed.ok) throw new ValidationFailedError(parsed.violations);
    const { agent: fields, model } = parsed;
    Agent.assertReachable(model, context);
    Agent.assertActorMay(input, context.actor);

    const agent = new Agent({
      id: fields.id ?? newAgentId(),
      projectId: context.projectId,
      userId: fields.userId ?? context.actor.userId,
      ...configurationOf(fields),
      isDefault: input.isDefault ?? false,
      isSystem: input.isSystem ?? false,
      isActive: true,
      metadata: fields.metadata,
      version: fields.version ?? INITIAL_VERSION,
      revision: 1,
      createdAt: context.now,
      updatedAt: context.now,
      lastRunAt: null,
    });
    agent.recordVersion(agent.props.version, context.now);
    return agent;
  }

  /** An agent as storage holds it: it was valid when saved, so nothing is checked again. */
  static reconstitute(props: AgentProps): Agent {
    return new Agent(props);
  }

  get id(): string {
    return this.props.id;
  }

  get projectId(): string {
    return this.props.projectId;
  }

  get isDefault(): boolean {
    return this.props.isDefault;
  }

  get isSystem(): boolean {
    return this.props.isSystem;
  }

  get version(): string {
    return this.props.version;
  }

  /** Names this state of the agent: it changes whenever the agent does (the HTTP ETag). */
  get entityTag(): string {
    return `${this.props.createdAt.getTime().toString(36)}-${this.props.revision}`;
  }

  /** The version the last create, update or restore recorded; null when it recorded none. */
  get recordedVersion(): RecordedVersion | null {
    return this.recorded;
  }

  /**
   * The agent's state: a frozen value, never the aggregate's to change in place (a change replaces
   * it), so the same object as long as nothing changed, and a caller cannot alter the agent through it.
   */
  snapshot(): AgentProps {
    return this.props;
  }

  configuration(): AgentConfiguration {
    return configurationOf(this.props);
  }

  /**
   * Applies a PATCH. Every rule is checked again on the result; a change of configuration (or a
   * named version) records a new version, any change moves the revision. Nothing changes on error.
   */
  update(patch: AgentPatch, context: ChangeContext): void {
    const current = this.props;
    const violations = Agent.patchViolations(patch, current);
    const parsed = parseAgent({ ...patched(current, patch), version: patch.version ?? undefined });
    if (!parsed.ok) violations.push(...parsed.violations);
    if (!parsed.ok || violations.length > 0) throw new ValidationFailedError(violations);

    const { agent: next, model } = parsed;
    if (next.model !== current.model) Agent.assertReachable(model, context);
    const flags = { isDefault: patch.isDefault ?? current.isDefault, isSystem: patch.isSystem ?? current.isSystem };
    if (!context.actor.internal && (flags.isDefault !== current.isDefault || flags.isSystem !== current.isSystem)) {
      throw new InternalOnlyError('Only an internal key may change isDefault or isSystem');
    }

    const updated: AgentProps = {
      ...current,
      ...configurationOf(next),
      metadata: next.metadata,
      ...flags,
      isActive: patch.isActive ?? current.isActive,
    };
    const configurationChanged = !sameConfiguration(configurationOf(current), configurationOf(updated));
    const newVersion = patch.version ?? (configurationChanged ? nextPatch(current.version) : null);
    // Cleared before the no-op return too: a no-op records no version, so none may be reported.
    this.recorded = null;
    if (newVersion === null && sameProps(current, updated)) return;
    const at = changeTime(context.now, current);
    this.setProps({ ...updated, version: newVersion ?? current.version, revision: current.revision + 1, updatedAt: at });
    if (newVersion !== null) this.recordVersion(newVersion, at);
  }

  /** Makes a new version with the configuration of an earlier one, named `version` or the next patch. */
  restore(from: RecordedVersion, version: string | undefined, context: ChangeContext): void {
    const parsed = parseAgent({ ...from.configuration, version });
    const violations: Violation[] = parsed.ok ? [] : [...parsed.violations];
    if (version !== undefined && isSemver(version)) violations.push(...Agent.versionViolations(version, this.props.version));
    if (!parsed.ok || violations.length > 0) throw new ValidationFailedError(violations);
    const configuration = configurationOf(parsed.agent);
    if (configuration.model !== this.props.model) Agent.assertReachable(parsed.model, context);

    const newVersion = version ?? nextPatch(this.props.version);
    const at = changeTime(context.now, this.props);
    this.setProps({ ...this.props, ...configuration, version: newVersion, revision: this.props.revision + 1, updatedAt: at });
    this.recordVersion(newVersion, at);
  }

  /** A system agent is deleted only by an internal key. */
  assertDeletableBy(actor: Actor): void {
    if (this.props.isSystem && !actor.internal) throw new InternalOnlyError('Only an internal key may delete a system agent');
  }

  private setProps(props: AgentProps): void {
    this.props = Object.freeze(props);
  }

  private recordVersion(version: string, now: Date): void {
    this.recorded = { projectId: this.props.projectId, agentId: this.props.id, version, configuration: this.configuration(), createdAt: now };
  }

  private static patchViolations(patch: AgentPatch, current: AgentProps): Violation[] {
    const found: Violation[] = [];
    if (patch.id !== undefined && patch.id !== current.id) {
      found.push({ path: ['id'], code: 'immutable', message: 'The id of an agent cannot change' });
    }
    found.push(...nullViolations(patch));
    if (patch.version != null && isSemver(patch.version)) found.push(...Agent.versionViolations(patch.version, current.version));
    return found;
  }

  private static versionViolations(version: string, current: string): Violation[] {
    if (compareSemver(version, current) > 0) return [];
    return [{ path: ['version'], code: 'version_not_greater', message: `version must be greater than the current ${current}` }];
  }

  private static assertReachable(model: ModelRef, context: ChangeContext): void {
    const required = requiredTierOf(model);
    if (!tierReaches(context.tier, required)) throw new ModelLockedError(model.id, required);
    if (model.kind === 'external' && !context.connectedProviders.includes(model.providerType)) {
      throw new ProviderNotConnectedError(model.providerType);
    }
  }

  private static assertActorMay(input: NewAgent, actor: Actor): void {
    if (actor.internal) return;
    if (input.isDefault === true || input.isSystem === true) {
      throw new InternalOnlyError('Only an internal key may set isDefault or isSystem');
    }
    if (input.userId !== undefined && input.userId !== actor.userId) {
      throw new InternalOnlyError('Only an internal key may create an agent for another user');
    }
  }
}

/**
 * The agent's fields with a PATCH applied, as a candidate for the rules: an absent field keeps its
 * value, null clears it (to the default a create would give it) unless it cannot be cleared (the
 * null is reported; the value is kept), metadata and config merge. Generic over PATCHED_FIELDS, so
 * a new versioned field is patched without a line here.
 */
function patched(current: AgentProps, patch: AgentPatch): AgentCandidate {
  const candidate: Partial<Record<PatchedField, unknown>> = {};
  for (const field of PATCHED_FIELDS) {
    const change = patch[field];
    candidate[field] = change === undefined || (change === null && KEPT_ON_NULL.has(field)) ? current[field] : (change ?? undefined);
  }
  for (const field of MERGED_FIELDS) {
    const change = patch[field];
    if (change !== undefined && change !== null) candidate[field] = applyMergePatch(current[field], change);
  }
  // Each field holds the stored value or the patch's, both of the candidate's type for that field.
  return candidate as AgentCandidate;
}

/**
 * When a change happens: `now`, but never before the change it follows (a clock that ran behind,
 * another instance's, must not make updatedAt or the versions' times go backwards).
 */
function changeTime(now: Date, current: AgentProps): Date {
  return now < current.updatedAt ? current.updatedAt : now;
}

function sameProps(a: AgentProps, b: AgentProps): boolean {
  return (
    sameConfiguration(a, b) &&
    JSON.stringify(a.metadata) === JSON.stringify(b.metadata) &&
    a.isDefault === b.isDefault &&
    a.isSystem === b.isSystem &&
    a.isActive === b.isActive
  );
}
