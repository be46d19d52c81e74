import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

// Swagger UI's page needs its inline style and the data: images of its theme. No
// upgrade-insecure-requests: on plain HTTP on any host but localhost (a dev box, a LAN address)
// the browser would fetch the page's scripts over https and /docs would not load; TLS, where there
// is TLS, is the proxy's (HSTS stays on).
const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null },
  },
};

/**
 * The headers helmet sets, worked out once: they depend on nothing in the request. (@fastify/helmet
 * builds helmet again on every request, parsing the CSP directives each time.)
 */
export function securityHeaders(options: HelmetOptions = OPTIONS): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  helmet(options)({} as IncomingMessage, response, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}
