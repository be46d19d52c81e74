import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { AgentVersion } from '../../domain/agent-version.js';

export class GetVersionQuery extends Query<AgentVersion> {
  constructor(
    readonly agentId: string,
    readonly version: string,
    readonly caller: Caller,
  ) {
    super();
  }
}
