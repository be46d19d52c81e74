import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Caller as CallerType, Scope } from '../../shared/domain/caller.js';
import { ErrorBody } from '../../shared/http/error-body.js';

export const REQUIRED_SCOPES = 'auth:required-scopes';
export const IS_PUBLIC = 'auth:public';

/** Protects a route with an API key holding one of `scopes`, and documents that (401, 403). */
export function Auth(...scopes: Scope[]): MethodDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, malformed, unknown, expired or revoked API key', type: ErrorBody }),
    ApiForbiddenResponse({ description: `The key lacks the scope ${scopes.join(' or ')}, or the request is refused for the caller (tier, internal flags)`, type: ErrorBody }),
  );
}

/** A route anyone may call (docs and health only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The caller the guard authenticated. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): CallerType => {
  return context.switchToHttp().getRequest<FastifyRequest>().caller!;
});

declare module 'fastify' {
  interface FastifyRequest {
    caller?: CallerType;
  }
}
