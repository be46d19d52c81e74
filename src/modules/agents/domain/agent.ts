import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { tierReaches, type Tier } from '../../../shared/domain/tier.js';
import { newAgentId } from './agent-id.js';
import { InternalOnlyError, ModelLockedError, ProviderNotConnectedError } from './agent.errors.js';
import { agentViolations, type AgentBinary, type AgentCandidate, type DeepResearchModel } from './agent-rules.js';
import type { JsonObject } from './json-object.js';
import { defaultEffortOf, parseModelRef, requiredTierOf, type ModelRef } from './model-ref.js';
import type { ReasoningEffort } from './reasoning-effort.js';

export const INITIAL_VERSION = '1.0.0';

export interface AgentProps {
  readonly id: string;
  readonly projectId: string;
  readonly userId: string;
  readonly name: string;
  readonly description: string | null;
  readonly model: string;
  readonly instructions: string | null;
  readonly binary: AgentBinary | null;
  readonly reasoningEffort: ReasoningEffort;
  readonly enabledSkills: readonly string[];
  readonly deepResearchModel: DeepResearchModel | null;
  readonly isDefault: boolean;
  readonly isSystem: boolean;
  readonly isActive: boolean;
  readonly metadata: JsonObject;
  readonly config: JsonObject;
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

/** Who asks, and what their workspace reaches: what the rules beyond the 422 ones depend on. */
export interface CreationContext {
  readonly projectId: string;
  readonly actor: { readonly userId: string; readonly internal: boolean };
  readonly tier: Tier;
  /** Provider types the workspace has connected; consulted for external models only. */
  readonly connectedProviders: readonly string[];
  readonly now: Date;
}

export class Agent {
  private constructor(private readonly props: AgentProps) {}

  /** A new agent, or the error naming why not: every 422 problem at once, else the first refusal. */
  static create(input: NewAgent, context: CreationContext): Agent {
    const violations = agentViolations(input);
    if (violations.length > 0) throw new ValidationFailedError(violations);
    const model = parseModelRef(input.model!)!;
    Agent.assertReachable(model, context);
    Agent.assertActorMay(input, context.actor);

    return new Agent({
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

  snapshot(): AgentProps {
    return this.props;
  }

  private static assertReachable(model: ModelRef, context: CreationContext): void {
    const required = requiredTierOf(model);
    if (!tierReaches(context.tier, required)) throw new ModelLockedError(model.id, required);
    if (model.kind === 'external' && !context.connectedProviders.includes(model.providerType)) {
      throw new ProviderNotConnectedError(model.providerType);
    }
  }

  private static assertActorMay(input: NewAgent, actor: CreationContext['actor']): void {
    if (actor.internal) return;
    if (input.isDefault === true || input.isSystem === true) {
      throw new InternalOnlyError('Only an internal key may set isDefault or isSystem');
    }
    if (input.userId !== undefined && input.userId !== actor.userId) {
      throw new InternalOnlyError('Only an internal key may create an agent for another user');
    }
  }
}
