import { Query } from '@nestjs/cqrs';
import type { Caller } from '../../../../shared/domain/caller.js';
import type { ModelListing } from './model-listing.js';

export class ListModelsQuery extends Query<ModelListing> {
  constructor(readonly caller: Caller) {
    super();
  }
}
