// One load run with autocannon, only ever against the service on 127.0.0.1, reduced to the
// figures the report prints.
import autocannon from 'autocannon';

const REQUEST_TIMEOUT_SECONDS = 10;
// What a scenario's request() may set; the URL's origin is always the benchmark's own service.
const REQUEST_OPTIONS = ['method', 'headers', 'body', 'idReplacement', 'requests', 'setupClient', 'expectBody'];

let current; // the autocannon instance running now, stopped on an interrupt

export function stopCurrentLoad() {
  current?.stop();
}

/**
 * @param {object} options
 * @param {string} options.baseUrl   http://127.0.0.1:<port>
 * @param {object} options.request   the scenario's request: { path, method, headers, body, ... }
 * @returns {Promise<LoadResult>}
 *
 * @typedef {object} LoadResult
 * @property {number} seconds   how long it ran
 * @property {number} ok        2xx answers
 * @property {number} rps       2xx answers per second
 * @property {number} p50       latency of the 2xx answers, ms
 * @property {number} p99
 * @property {number} non2xx    requests without a 2xx: other statuses, socket errors, timeouts
 * @property {number} errors    of which socket errors and timeouts
 * @property {number} timeouts  of which timeouts
 * @property {number} total     requests answered or failed (2xx + non2xx)
 * @property {Record<string, number>} statuses  answers by status code
 */
export async function runLoad({ baseUrl, request, seconds, connections }) {
  const url = new URL(request.path ?? '/', baseUrl);
  if (url.origin !== new URL(baseUrl).origin) throw new Error(`a scenario's path left the service: ${request.path}`);
  const options = {
    url: url.toString(),
    duration: seconds,
    connections,
    timeout: REQUEST_TIMEOUT_SECONDS,
    // Latency of the successful answers only: the 2xx, or the expected status (all of them then).
    excludeErrorStats: request.expectedStatus === undefined,
  };
  for (const key of REQUEST_OPTIONS) if (request[key] !== undefined) options[key] = request[key];

  const instance = autocannon(options);
  current = instance;
  try {
    return summarize(await instance, request.expectedStatus);
  } finally {
    current = undefined;
  }
}

/** `expectedStatus`: the answer a scenario counts as its success (a 304, say); else any 2xx. */
function summarize(result, expectedStatus) {
  const expected = expectedStatus === undefined ? undefined : (result.statusCodeStats[expectedStatus]?.count ?? 0);
  const ok = expected ?? result['2xx'];
  const failed = expected === undefined ? result.non2xx + result.errors : result['2xx'] + result.non2xx - expected + result.errors;
  return {
    seconds: result.duration,
    ok,
    rps: result.duration > 0 ? ok / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: failed,
    errors: result.errors,
    timeouts: result.timeouts,
    total: ok + failed,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
}
