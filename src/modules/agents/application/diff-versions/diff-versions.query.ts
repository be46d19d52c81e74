import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { VersionRef } from '../../domain/version-ref.js';
import type { PatchOperation } from './configuration-diff.js';

/** The versions two references resolved to, and the patch from the first's configuration to the second's. */
export interface VersionDiff {
  readonly from: string;
  readonly to: string;
  readonly changes: PatchOperation[];
}

export class DiffVersionsQuery extends Query<VersionDiff> {
  constructor(
    readonly agentId: string,
    readonly from: VersionRef,
    readonly to: VersionRef,
    readonly caller: Caller,
  ) {
    super();
  }
}
