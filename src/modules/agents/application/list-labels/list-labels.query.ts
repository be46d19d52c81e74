import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { AgentLabel } from '../../domain/agent-label.js';

export class ListLabelsQuery extends Query<AgentLabel[]> {
  constructor(
    readonly agentId: string,
    readonly caller: Caller,
  ) {
    super();
  }
}
