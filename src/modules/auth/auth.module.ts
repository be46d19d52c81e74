import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyRepository } from './api-key.repository.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';

@Module({
  providers: [ApiKeyRepository, { provide: APP_GUARD, useClass: BearerAuthGuard }],
  exports: [ApiKeyRepository],
})
export class AuthModule {}
