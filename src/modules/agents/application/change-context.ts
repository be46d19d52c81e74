import { isInternal, type Caller } from '../../../shared/domain/caller.js';
import type { Agent, ChangeContext } from '../domain/agent.js';
import { PreconditionFailedError } from '../domain/agent.errors.js';
import type { ChangeOrigin } from '../domain/agent-event.js';
import { isExternalModelId } from '../domain/model-ref.js';
import type { WorkspaceProviders } from './workspace-providers.port.js';

/** What the aggregate needs to judge a change by `caller`: the providers only matter for an external model. */
export async function changeContextFor(caller: Caller, model: unknown, workspaces: WorkspaceProviders): Promise<ChangeContext> {
  const connectedProviders =
    typeof model === 'string' && isExternalModelId(model)
      ? (await workspaces.connected(caller.workspaceId)).map((provider) => provider.providerType)
      : [];
  return {
    actor: { userId: caller.userId, internal: isInternal(caller) },
    tier: caller.tier,
    connectedProviders,
    now: new Date(),
  };
}

/** If-Match: "*" or the entity tags the client last saw; absent, any state will do. */
export type EntityTagCondition = readonly string[] | undefined;

export function entityTagMatches(condition: EntityTagCondition, entityTag: string): boolean {
  return condition === undefined || condition.includes('*') || condition.includes(entityTag);
}

/** PreconditionFailedError unless the agent is in a state `condition` names. */
export function assertEntityTagMatches(condition: EntityTagCondition, agent: Agent): void {
  if (!entityTagMatches(condition, agent.entityTag)) throw new PreconditionFailedError(agent.id);
}

/** Where the caller's changes come from, as their events record it. */
export function originOf(caller: Caller): ChangeOrigin {
  return { workspaceId: caller.workspaceId, userId: caller.userId, keyId: caller.keyId };
}
