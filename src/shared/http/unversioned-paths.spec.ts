import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { UnversionedPaths } from './unversioned-paths.js';

function pathsOf(routes: string[]): UnversionedPaths {
  const paths = new UnversionedPaths();
  let onRoute: (route: { url: string }) => void = () => {};
  paths.learnFrom({ addHook: (_name: string, hook: typeof onRoute) => (onRoute = hook) } as unknown as FastifyInstance);
  for (const url of routes) onRoute({ url });
  return paths;
}

const rewrite = (paths: UnversionedPaths, url: string) => paths.rewrite({ url } as IncomingMessage);

describe('UnversionedPaths', () => {
  const paths = pathsOf(['/v1/agents', '/v1/agents/:id', '/v1/events', '/health/live', '/docs']);

  it.each([
    ['/agents', '/v1/agents'],
    ['/agents?limit=5', '/v1/agents?limit=5'],
    ['/agents/support-bot', '/v1/agents/support-bot'],
    ['/agents/models', '/v1/agents/models'],
    ['/events?after=1', '/v1/events?after=1'],
  ])('serves %s as %s', (url, served) => {
    expect(rewrite(paths, url)).toBe(served);
  });

  it.each(['/v1/agents', '/v1/agents/x?y=1', '/health/live', '/docs', '/docs/index.html', '/openapi.json', '/agentsx', '/v1', '/', '/health'])(
    'leaves %s as it came',
    (url) => {
      expect(rewrite(paths, url)).toBe(url);
    },
  );
});
