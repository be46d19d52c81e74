import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
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
 * The Redis client (ioredis) is loaded only then: a service without Redis does not keep it in memory.
 */
@Injectable()
export class RequestLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RequestLimiter.name);
  private limiter: RateLimiterAbstract | null;
  private redis: Redis | null = null;
  readonly limit: number;

  constructor(private readonly environment: Environment) {
    this.limit = environment.rateLimitPerMinute;
    this.limiter = this.limit === 0 ? null : new RateLimiterMemory(this.options());
  }

  /** Before the service listens (Nest awaits it): the shared limiter, when REDIS_URL is set. */
  async onModuleInit(): Promise<void> {
    if (this.limiter === null || !this.environment.redisUrl) return;
    const { Redis } = await import('ioredis');
    this.redis = new Redis(this.environment.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    this.limiter = new RateLimiterRedis({ ...this.options(), storeClient: this.redis, insuranceLimiter: this.limiter });
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

  private options() {
    return { points: this.limit, duration: WINDOW_SECONDS, keyPrefix: 'agents-api:rate' };
  }

  private verdict(allowed: boolean, result: RateLimiterRes): LimitVerdict {
    return { allowed, limit: this.limit, remaining: result.remainingPoints, resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
  }
}
