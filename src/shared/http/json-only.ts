import type { FastifyInstance } from 'fastify';

/**
 * Only `application/json` bodies (charset utf-8, if one is named) are parsed: a text or form body
 * is a 415 even when it would parse as JSON. The size limit is the server's bodyLimit.
 */
export function refuseNonJsonBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = /;\s*charset=("?)([^";]+)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      return done(Object.assign(new Error('Unsupported charset'), { statusCode: 415 }), undefined);
    }
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('Malformed JSON'), { statusCode: 400 }), undefined);
    }
  });
}
