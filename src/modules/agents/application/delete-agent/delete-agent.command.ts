import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';

export class DeleteAgentCommand extends Command<void> {
  constructor(
    readonly agentId: string,
    readonly mode: 'soft' | 'hard',
    readonly caller: Caller,
  ) {
    super();
  }
}
