import Fastify from 'fastify';
import { loggingOptions, type RequestObserver } from './logging.js';

const observer: RequestObserver = { requestStarted: () => {}, requestEnded: () => {}, requestAnswered: () => {} };

/** A Fastify with the service's logging, writing its lines here. */
function loggedLines() {
  const lines: Record<string, unknown>[] = [];
  const options = loggingOptions({ level: 'info', format: 'json' }, observer);
  const app = Fastify({ ...options, logger: { ...(options.logger as object), stream: { write: (line: string) => void lines.push(JSON.parse(line)) } } });
  return { log: app.log, lines };
}

describe('request logging', () => {
  it('writes only the id, method and URL of a logged request, whatever else it holds', () => {
    const { log, lines } = loggedLines();
    const raw = { id: 'req-1', method: 'POST', url: '/v1/agents', headers: { authorization: 'Bearer agk_secret', cookie: 'session=s' }, body: { name: 'x' } };
    log.info({ req: raw, res: { statusCode: 201, headers: { 'set-cookie': 'a=b' } } }, 'a raw request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ req: { id: 'req-1', method: 'POST', url: '/v1/agents' }, res: { statusCode: 201 }, msg: 'a raw request' });
    expect(Object.keys(lines[0].req as object)).toEqual(['id', 'method', 'url']);
    expect(Object.keys(lines[0].res as object)).toEqual(['statusCode']);
    expect(JSON.stringify(lines)).not.toMatch(/agk_secret|session=s|set-cookie/);
  });
});
