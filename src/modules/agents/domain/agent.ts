import { ValidationFailedError, type Violation } from '../../../shared/domain/domain-error.js';
import { tierReaches, type Tier } from '../../../shared/domain/tier.js';
import { newAgentId } from './agent-id.js';
import { InternalOnlyError, ModelLockedError, ProviderNotConnectedError } from './agent.errors.js';
import { agentViolations, type AgentBinary, type AgentCandidate, type DeepResearchModel } from './agent-rules.js';
import { applyMergePatch } from './json-merge-patch.js';
import type { JsonObject } from './json-object.js';
import { defaultEffortOf, parseModelRef, requiredTierOf, type ModelRef } from './model-ref.js';
import type { ReasoningEffort } from './reasoning-effort.js';
import { compareSemver, isSemver, nextPatch } from './semver.js';
import { configurationOf, sameConfiguration, type AgentConfiguration, type AgentVersion } from './agent-version.js';

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
 * A change to an agent as PATCH states it: absent keeps a field, null clears an optional one (or
 * resets reasoningEffort to the model's default), metadata and config are JSON merge patches.
 */
export interface AgentPatch {
  readonly id?: string | null;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly model?: string | null;
  readonly instructions?: string | null;
  readonly binary?: AgentBinary | null;
  readonly reasoningEffort?: string | null;
  readonly enabledSkills?: readonly string[] | null;
  readonly deepResearchModel?: string | null;
  readonly metadata?: JsonObject | null;
  readonly config?: JsonObject | null;
  readonly version?: string | null;
  readonly isDefault?: boolean | null;
  readonly isSystem?: boolean | null;
  readonly isActive?: boolean | null;
}

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
  private recorded: AgentVersion | null = null;

  private constructor(private props: AgentProps) {}

  /** A new agent, or the error naming why not: every 422 problem at once, else the first refusal. */
  static create(input: NewAgent, context: CreationContext): Agent {
    const violations = agentViolations(input);
    if (violations.length > 0) throw new ValidationFailedError(violations);
    const model = parseModelRef(input.model!)!;
    Agent.assertReachable(model, context);
    Agent.assertActorMay(input, context.actor);

    const agent = new Agent({
      id: input.id ?? newAgentId(),
      projectId: context.projectId,
      userId: input.userId ?? context.actor.userId,
      name: input.name!.trim(),
      description: input.description ?? null,
      model: model.id,
      instructions: input.instructions ?? null,
      binary: input.binary ?? null,
      reasoningEffort: (input.reasoningEffort as ReasoningEffort | undefined) ?? defaultEffortOf(model),
      enabledSkills: input.enabledSkills ?? [],
      deepResearchModel: (input.deepResearchModel as DeepResearchModel | undefined) ?? null,
      isDefault: input.isDefault ?? false,
      isSystem: input.isSystem ?? false,
      isActive: true,
      metadata: input.metadata ?? {},
      config: input.config ?? {},
      version: input.version ?? INITIAL_VERSION,
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
  get recordedVersion(): AgentVersion | null {
    return this.recorded;
  }

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
    const model = patch.model ?? current.model;
    const modelRef = parseModelRef(model);
    const reasoningEffort =
      patch.reasoningEffort === null ? (modelRef ? defaultEffortOf(modelRef) : current.reasoningEffort) : (patch.reasoningEffort ?? current.reasoningEffort);
    const next = {
      name: patch.name ?? current.name,
      description: patch.description === undefined ? current.description : patch.description,
      model,
      instructions: patch.instructions === undefined ? current.instructions : patch.instructions,
      binary: patch.binary === undefined ? current.binary : patch.binary,
      reasoningEffort,
      enabledSkills: patch.enabledSkills === undefined ? current.enabledSkills : (patch.enabledSkills ?? []),
      deepResearchModel: patch.deepResearchModel === undefined ? current.deepResearchModel : patch.deepResearchModel,
      metadata: patch.metadata === undefined ? current.metadata : patch.metadata === null ? {} : applyMergePatch(current.metadata, patch.metadata),
      config: patch.config === undefined ? current.config : patch.config === null ? {} : applyMergePatch(current.config, patch.config),
    };
    violations.push(...agentViolations({ ...next, version: patch.version ?? undefined }));
    if (violations.length > 0) throw new ValidationFailedError(violations);

    if (model !== current.model) Agent.assertReachable(modelRef!, context);
    const flags = { isDefault: patch.isDefault ?? current.isDefault, isSystem: patch.isSystem ?? current.isSystem };
    if (!context.actor.internal && (flags.isDefault !== current.isDefault || flags.isSystem !== current.isSystem)) {
      throw new InternalOnlyError('Only an internal key may change isDefault or isSystem');
    }

    const updated: AgentProps = {
      ...current,
      ...next,
      name: next.name.trim(),
      reasoningEffort: next.reasoningEffort as ReasoningEffort,
      deepResearchModel: next.deepResearchModel as DeepResearchModel | null,
      ...flags,
      isActive: patch.isActive ?? current.isActive,
    };
    const configurationChanged = !sameConfiguration(configurationOf(current), configurationOf(updated));
    const newVersion = patch.version ?? (configurationChanged ? nextPatch(current.version) : null);
    // Cleared before the no-op return too: a no-op records no version, so none may be reported.
    this.recorded = null;
    if (newVersion === null && sameProps(current, updated)) return;
    const at = changeTime(context.now, current);
    this.props = { ...updated, version: newVersion ?? current.version, revision: current.revision + 1, updatedAt: at };
    if (newVersion !== null) this.recordVersion(newVersion, at);
  }

  /** Makes a new version with the configuration of an earlier one, named `version` or the next patch. */
  restore(from: AgentVersion, version: string | undefined, context: ChangeContext): void {
    const violations = agentViolations({ ...from.configuration, version });
    if (version !== undefined && isSemver(version)) violations.push(...Agent.versionViolations(version, this.props.version));
    if (violations.length > 0) throw new ValidationFailedError(violations);
    const modelRef = parseModelRef(from.configuration.model)!;
    if (from.configuration.model !== this.props.model) Agent.assertReachable(modelRef, context);

    const newVersion = version ?? nextPatch(this.props.version);
    const at = changeTime(context.now, this.props);
    this.props = { ...this.props, ...from.configuration, version: newVersion, revision: this.props.revision + 1, updatedAt: at };
    this.recordVersion(newVersion, at);
  }

  /** A system agent is deleted only by an internal key. */
  assertDeletableBy(actor: Actor): void {
    if (this.props.isSystem && !actor.internal) throw new InternalOnlyError('Only an internal key may delete a system agent');
  }

  private recordVersion(version: string, now: Date): void {
    this.recorded = { projectId: this.props.projectId, agentId: this.props.id, version, configuration: this.configuration(), createdAt: now };
  }

  private static patchViolations(patch: AgentPatch, current: AgentProps): Violation[] {
    const found: Violation[] = [];
    if (patch.id !== undefined && patch.id !== current.id) {
      found.push({ path: ['id'], code: 'immutable', message: 'The id of an agent cannot change' });
    }
    for (const field of ['name', 'model', 'isDefault', 'isSystem', 'isActive'] as const) {
      if (patch[field] === null) found.push({ path: [field], code: 'null_not_allowed', message: `${field} cannot be null` });
    }
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
