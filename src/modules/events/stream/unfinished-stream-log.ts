import type { FastifyReply } from 'fastify';
import type { RequestObserver } from '../../../shared/http/logging.js';

/**
 * Fastify logs and counts a request (logging.ts) when its response finishes or fails; a stream
 * that its client closed, or that was dropped, does neither, and would leave no trace. Its line
 * and its count, in the same shape, once its connection closes.
 */
export function recordUnfinishedStream(reply: FastifyReply, observer: RequestObserver): void {
  reply.raw.once('close', () => {
    if (reply.raw.writableFinished) return;
    const { request, statusCode, elapsedTime } = reply;
    observer.requestAnswered(request.method, request.routeOptions.url, statusCode, elapsedTime);
    request.log.info(
      { req: { id: request.id, method: request.method, url: request.url }, res: { statusCode }, responseTime: Math.round(elapsedTime) },
      'request completed',
    );
  });
}
