import type { FastifyInstance } from 'fastify';
import { ShuttingDownError } from '../domain/service-errors.js';
import { renderError } from './render-error.js';

/**
 * While the server stops: a new request on a kept-alive connection gets the contract's 503 (with
 * Retry-After), and every answer closes its connection, which kept alive would hold the close up
 * for the keep-alive timeout (72 s). Requests already in flight finish normally.
 */
export function closeConnectionsWhenStopping(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    const rendered = renderError(new ShuttingDownError());
    void reply.status(rendered.status).headers(rendered.headers).send(rendered.body);
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
