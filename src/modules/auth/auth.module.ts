import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { RequestLimiter } from '../rate-limit/request-limiter.js';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { KeyUsageRecorder } from './key-usage-recorder.js';

// Global guards run in the order they are provided: who is calling, then how often.
@Module({
  providers: [
    ApiKeyRepository,
    ApiKeyCache,
    KeyUsageRecorder,
    RequestLimiter,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [ApiKeyRepository],
})
export class AuthModule {}
