import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Scope } from '../../shared/domain/caller.js';
import { hashApiKeyToken, MAX_TOKEN_LENGTH } from './api-key-token.js';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { InsufficientScopeError, UnauthorizedError } from './auth.errors.js';
import { IS_PUBLIC, REQUIRED_SCOPES } from './auth.decorators.js';
import { KeyUsageRecorder } from './key-usage-recorder.js';

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * Closed by default: every route needs an API key (Authorization: Bearer, or X-API-Key) unless it
 * is @Public(), and one of the scopes its @Auth() names.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRepository,
    private readonly cache: ApiKeyCache,
    private readonly usage: KeyUsageRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = tokenOf(request);
    if (token === null) throw new UnauthorizedError('Missing or malformed API key: send Authorization: Bearer <key>');
    const hash = hashApiKeyToken(token);
    const key = await this.cache.lookUp(hash, () => this.keys.findActiveByHash(hash));
    if (key === null) throw new UnauthorizedError('Unknown or revoked API key');
    if (key.expiresAt !== null && key.expiresAt.getTime() <= Date.now()) throw new UnauthorizedError('Expired API key');

    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
    if (required.length > 0 && !required.some((scope) => key.caller.scopes.includes(scope))) {
      throw new InsufficientScopeError(required);
    }
    request.caller = key.caller;
    this.usage.noteUse(key.caller.keyId);
    return true;
  }
}

function tokenOf(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  const apiKey = request.headers['x-api-key'];
  const token = authorization !== undefined ? BEARER.exec(authorization)?.[1] : typeof apiKey === 'string' ? apiKey : undefined;
  if (token === undefined || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  return token;
}
