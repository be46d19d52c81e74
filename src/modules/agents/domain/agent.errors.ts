import { DomainError } from '../../../shared/domain/domain-error.js';
import type { Tier } from '../../../shared/domain/tier.js';

export class ModelLockedError extends DomainError {
  readonly code = 'model_locked';

  constructor(model: string, requiredTier: Tier) {
    super(`The model ${model} needs the ${requiredTier} tier or above`);
  }
}

export class ProviderNotConnectedError extends DomainError {
  readonly code = 'provider_not_connected';

  constructor(providerType: string) {
    super(`The workspace has not connected the external provider ${providerType}`);
  }
}

/** isDefault, isSystem, or acting for another user: only an `internal` (service) key may. */
export class InternalOnlyError extends DomainError {
  readonly code = 'internal_only';
}

export class AgentIdConflictError extends DomainError {
  readonly code = 'agent_id_conflict';

  constructor(id: string) {
    super(`An agent with the id ${id} already exists in this project`);
  }
}

export class AgentNotFoundError extends DomainError {
  readonly code = 'agent_not_found';

  constructor(id: string) {
    super(`Agent ${id} not found`);
  }
}

export class AgentVersionNotFoundError extends DomainError {
  readonly code = 'version_not_found';

  constructor(agentId: string, version: string) {
    super(`Agent ${agentId} has no version ${version}`);
  }
}

/** If-Match named another state of the agent than the current one. */
export class PreconditionFailedError extends DomainError {
  readonly code = 'precondition_failed';

  constructor(agentId: string) {
    super(`Agent ${agentId} has changed since that ETag: fetch it again`);
  }
}

export class LabelNotFoundError extends DomainError {
  readonly code = 'label_not_found';

  constructor(agentId: string, name: string) {
    super(`Agent ${agentId} has no label ${name}`);
  }
}
