import { Module } from '@nestjs/common';
import { IdempotencyJanitor } from './idempotency-janitor.js';
import { IdempotencyStore } from './idempotency.store.js';
import { IdempotentResponder } from './idempotent-responder.js';

@Module({
  providers: [IdempotencyStore, IdempotentResponder, IdempotencyJanitor],
  exports: [IdempotentResponder, IdempotencyStore],
})
export class IdempotencyModule {}
