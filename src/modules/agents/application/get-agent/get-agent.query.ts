import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { Agent } from '../../domain/agent.js';

export class GetAgentQuery extends Query<Agent> {
  constructor(
    readonly agentId: string,
    readonly caller: Caller,
  ) {
    super();
  }
}
