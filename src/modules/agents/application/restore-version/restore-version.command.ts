import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { Agent } from '../../domain/agent.js';

export class RestoreVersionCommand extends Command<Agent> {
  constructor(
    readonly agentId: string,
    readonly version: string,
    /** The name of the new version; omitted, the next patch release. */
    readonly newVersion: string | undefined,
    readonly caller: Caller,
  ) {
    super();
  }
}
