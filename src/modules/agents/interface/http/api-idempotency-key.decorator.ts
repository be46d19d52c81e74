import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** Documents the Idempotency-Key header of a creating POST and its answers. */
export function ApiIdempotencyKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes retries safe: a retry with the same key and body within 24 hours replays the first answer ' +
        '(with Idempotent-Replayed: true) and creates nothing; the same key with another body is a 422 ' +
        '(idempotency_key_reused); while the first request runs, a 409 (idempotency_key_in_flight). 1 to 255 visible ASCII characters.',
      // No example: Swagger UI would fill it in, and a second "Execute" would replay the first answer.
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
  );
}
