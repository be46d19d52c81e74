import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { renderError } from './render-error.js';

/** Every error thrown while Nest handles a request, answered in the contract's shapes. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const rendered = renderError(error);
    // An unexpected error is logged in full under its incident id, in the request's log (with its id).
    if (rendered.incidentId) reply.request.log.error({ err: error, incidentId: rendered.incidentId }, 'unexpected error');
    void reply.status(rendered.status).headers(rendered.headers).send(rendered.body);
  }
}
