import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { AgentVersion } from '../../domain/agent-version.js';
import type { Page, PageRequest } from '../agent-queries.port.js';

export class ListVersionsQuery extends Query<Page<AgentVersion, number>> {
  constructor(
    readonly agentId: string,
    readonly page: PageRequest<number>,
    readonly caller: Caller,
  ) {
    super();
  }
}
