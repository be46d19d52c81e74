import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { Agent } from '../../domain/agent.js';
import type { AgentCursor, AgentFilter, Page, PageRequest } from '../agent-queries.port.js';

export class ListAgentsQuery extends Query<Page<Agent, AgentCursor>> {
  constructor(
    readonly filter: AgentFilter,
    readonly page: PageRequest<AgentCursor>,
    readonly caller: Caller,
  ) {
    super();
  }
}
