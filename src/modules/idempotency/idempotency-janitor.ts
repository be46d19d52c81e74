import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { IdempotencyStore } from './idempotency.store.js';

const EVERY_MS = 10 * 60 * 1000;

/** Deletes expired idempotency keys now and then (every instance may; the DELETE is idempotent). */
@Injectable()
export class IdempotencyJanitor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyJanitor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: IdempotencyStore) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      const deleted = await this.store.deleteExpired();
      if (deleted > 0) this.logger.log(`deleted ${deleted} expired idempotency keys`);
      return deleted;
    } catch (error) {
      this.logger.warn(`could not delete expired idempotency keys: ${(error as Error).message}`);
      return 0;
    }
  }
}
