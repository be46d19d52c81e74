import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { EntityTagCondition } from '../change-context.js';

/** Deletes a label (a settable name: not latest) of the agent. */
export class DeleteLabelCommand extends Command<void> {
  constructor(
    readonly agentId: string,
    readonly name: string,
    readonly ifMatch: EntityTagCondition,
    readonly caller: Caller,
  ) {
    super();
  }
}
