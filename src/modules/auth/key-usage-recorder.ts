import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ApiKeyRepository } from './api-key.repository.js';

const FLUSH_EVERY_MS = 30_000;

/**
 * Tracks api_keys.last_used_at without a database write per request: uses are noted in memory
 * and written in one UPDATE every 30 s (and at shutdown). The time is accurate to the flush.
 */
@Injectable()
export class KeyUsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(KeyUsageRecorder.name);
  private used = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly keys: ApiKeyRepository) {}

  noteUse(keyId: string): void {
    this.used.set(keyId, new Date());
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  // Before the pool closes (TypeORM closes it on application shutdown).
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.used.size === 0) return;
    const batch = this.used;
    this.used = new Map();
    try {
      await this.keys.recordUse(batch);
    } catch (error) {
      // Not worth failing anything for: keep the uses for the next flush, unless newer ones came.
      for (const [keyId, at] of batch) if (!this.used.has(keyId)) this.used.set(keyId, at);
      this.logger.warn(`could not record API key use: ${(error as Error).message}`);
    }
  }
}
