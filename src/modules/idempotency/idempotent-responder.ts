import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { renderError } from '../../shared/http/render-error.js';
import { RequestValidationError } from '../../shared/http/request-validation.error.js';
import type { HttpOutcome } from './http-outcome.js';
import { IdempotencyStore } from './idempotency.store.js';
import { canonicalJson } from '../../shared/domain/canonical-json.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';

const HEADER = 'idempotency-key';
const VISIBLE_ASCII = /^[\x20-\x7E]+$/;
const MAX_KEY_LENGTH = 255;

/**
 * Answers a creating POST, honouring its Idempotency-Key (IETF draft, Stripe's practice): a retry
 * with the same key and body gets the first answer again with Idempotent-Replayed: true, and
 * nothing is created twice. Without the header the work simply runs.
 */
@Injectable()
export class IdempotentResponder {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly metrics: ServiceMetrics,
  ) {}

  async send(request: FastifyRequest, reply: FastifyReply, execute: () => Promise<HttpOutcome>): Promise<void> {
    const key = idempotencyKeyOf(request);
    if (key === undefined) return sendOutcome(reply, await execute());
    const { replayed, outcome } = await this.store.run(request.caller!, key, fingerprintOf(request), execute, recordedAnswerOf);
    if (replayed) {
      this.metrics.idempotentReplayed();
      void reply.header('idempotent-replayed', 'true');
    }
    sendOutcome(reply, outcome);
  }
}

function sendOutcome(reply: FastifyReply, outcome: HttpOutcome): void {
  void reply.status(outcome.status).headers(outcome.headers).send(outcome.body);
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers[HEADER];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length < 1 || key.length > MAX_KEY_LENGTH || !VISIBLE_ASCII.test(key)) {
    throw new RequestValidationError([
      { loc: ['header', 'Idempotency-Key'], msg: `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters`, type: 'invalid_idempotency_key' },
    ]);
  }
  return key;
}

/** What identifies "the same request": method, path and body (keys sorted). */
function fingerprintOf(request: FastifyRequest): Buffer {
  const path = request.url.split('?')[0];
  return createHash('sha256').update(`${request.method} ${path}\n${canonicalJson(request.body ?? null)}`).digest();
}

// A refusal of the request itself (a 4xx such as 409 or 422) is its answer, replayed to retries;
// anything else (5xx, database down) is not kept, so that a retry runs the work again.
function recordedAnswerOf(error: unknown): HttpOutcome | null {
  const rendered = renderError(error);
  if (rendered.status < 400 || rendered.status >= 500) return null;
  return { status: rendered.status, headers: rendered.headers, body: rendered.body };
}
