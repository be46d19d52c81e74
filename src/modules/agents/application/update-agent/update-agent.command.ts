import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { Agent, AgentPatch } from '../../domain/agent.js';
import type { EntityTagCondition } from '../change-context.js';

export class UpdateAgentCommand extends Command<Agent> {
  constructor(
    readonly agentId: string,
    readonly patch: AgentPatch,
    readonly ifMatch: EntityTagCondition,
    readonly caller: Caller,
  ) {
    super();
  }
}
