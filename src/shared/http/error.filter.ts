import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { renderError } from './render-error.js';

/** Every error thrown while Nest handles a request, answered in the contract's shapes. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    sendError(reply, error, this.logger);
  }
}

export function sendError(reply: FastifyReply, error: unknown, logger: Logger): void {
  const rendered = renderError(error);
  if (rendered.incidentId) logger.error(`incident ${rendered.incidentId}`, error instanceof Error ? error.stack : String(error));
  void reply.status(rendered.status).headers(rendered.headers).send(rendered.body);
}
