import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { AgentLabel } from '../../domain/agent-label.js';
import type { EntityTagCondition } from '../change-context.js';

/** Points a label (a settable name: not latest) at a version of the agent. */
export class SetLabelCommand extends Command<AgentLabel> {
  constructor(
    readonly agentId: string,
    readonly name: string,
    readonly version: string,
    readonly ifMatch: EntityTagCondition,
    readonly caller: Caller,
  ) {
    super();
  }
}
