import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Environment } from '../../config/environment.js';

const WINDOW_SECONDS = 60;

export interface LimitVerdict {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  readonly resetSeconds: number;
}

/**
 * Requests per API key per minute (rate-limiter-flexible): in memory for one instance, in Redis
 * when REDIS_URL is set so that every instance counts against the same limit. If Redis fails,
 * each instance falls back to counting in its own memory rather than refusing or waving through.
 */
@Injectable()
export class RequestLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(RequestLimiter.name);
  private readonly limiter: RateLimiterAbstract | null;
  private readonly redis: Redis | null = null;
  readonly limit: number;

  constructor(environment: Environment) {
    this.limit = environment.rateLimitPerMinute;
    if (this.limit === 0) {
      this.limiter = null;
      return;
    }
    const options = { points: this.limit, duration: WINDOW_SECONDS, keyPrefix: 'agents-api:rate' };
    const inMemory = new RateLimiterMemory(options);
    if (!environment.redisUrl) {
      this.limiter = inMemory;
      return;
    }
    this.redis = new Redis(environment.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    this.limiter = new RateLimiterRedis({ ...options, storeClient: this.redis, insuranceLimiter: inMemory });
  }

  get enabled(): boolean {
    return this.limiter !== null;
  }

  async take(key: string): Promise<LimitVerdict> {
    try {
      return this.verdict(true, await this.limiter!.consume(key));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return this.verdict(false, rejection);
      throw rejection;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  private verdict(allowed: boolean, result: RateLimiterRes): LimitVerdict {
    return { allowed, limit: this.limit, remaining: result.remainingPoints, resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
  }
}
