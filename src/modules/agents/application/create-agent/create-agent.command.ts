import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { Agent, NewAgent } from '../../domain/agent.js';

export class CreateAgentCommand extends Command<Agent> {
  constructor(
    readonly input: NewAgent,
    readonly caller: Caller,
  ) {
    super();
  }
}
