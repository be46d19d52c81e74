import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../../shared/domain/service-errors.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';
import { RequestLimiter } from './request-limiter.js';

/**
 * Counts each authenticated request against its API key's limit, and says where the key stands in
 * the RateLimit-* headers (IETF draft); over the limit, a 429 with Retry-After. Runs after the
 * bearer-auth guard: requests without a caller (public routes) are not counted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly policy: string;

  constructor(
    private readonly limiter: RequestLimiter,
    private readonly metrics: ServiceMetrics,
  ) {
    this.policy = `${limiter.limit};w=60`;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const caller = http.getRequest<FastifyRequest>().caller;
    if (!this.limiter.enabled || !caller) return true;
    const verdict = await this.limiter.take(caller.keyId);
    void http.getResponse<FastifyReply>().headers({
      'ratelimit-policy': this.policy,
      'ratelimit-limit': String(verdict.limit),
      'ratelimit-remaining': String(verdict.remaining),
      'ratelimit-reset': String(verdict.resetSeconds),
    });
    if (!verdict.allowed) {
      this.metrics.rateLimitRefused();
      throw new RateLimitedError(verdict.resetSeconds);
    }
    return true;
  }
}
