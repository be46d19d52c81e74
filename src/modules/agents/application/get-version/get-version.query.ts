import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { AgentVersion } from '../../domain/agent-version.js';
import type { VersionRef } from '../../domain/version-ref.js';

export class GetVersionQuery extends Query<AgentVersion> {
  constructor(
    readonly agentId: string,
    readonly ref: VersionRef,
    readonly caller: Caller,
  ) {
    super();
  }
}
