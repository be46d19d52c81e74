import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';

const VERSION_PREFIX = '/v1';

/**
 * Every /v1 route is also served without the prefix (`/agents/{id}`), because the ACP API's
 * official SDK calls those paths. Not a second set of routes: the URL is rewritten before routing,
 * so both spellings run the same route, with its guards, limits, metrics label and one route table.
 * Only the first segments that some /v1 route has are rewritten (`/agents…`, never `/docs`).
 */
export class UnversionedPaths {
  private readonly resources = new Set<string>();

  /** Learns the resources from the routes as they are registered (call before the routes are). */
  learnFrom(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      if (!route.url.startsWith(`${VERSION_PREFIX}/`)) return;
      this.resources.add(firstSegmentOf(route.url.slice(VERSION_PREFIX.length)));
    });
  }

  /** Fastify's rewriteUrl: `/agents/x?y` → `/v1/agents/x?y`; anything else as it came. */
  readonly rewrite = (request: IncomingMessage): string => {
    const url = request.url ?? '/';
    if (url.startsWith(`${VERSION_PREFIX}/`)) return url;
    return this.resources.has(firstSegmentOf(url)) ? `${VERSION_PREFIX}${url}` : url;
  };
}

/** `agents` of `/agents/x?y`, `/agents?y` or `/agents`. */
function firstSegmentOf(path: string): string {
  const end = path.slice(1).search(/[/?#]/);
  return end === -1 ? path.slice(1) : path.slice(1, end + 1);
}
