import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { Environment } from '../../../config/environment.js';
import { ShuttingDownError } from '../../../shared/domain/service-errors.js';
import { ServiceMetrics } from '../../metrics/service-metrics.js';
import { EventLog, type EventFilter } from '../event-log.js';
import { EventStream } from './event-stream.js';
import { LiveEvents } from './live-events.js';
import { STREAM_HEADERS } from './sse-message.js';
import { recordUnfinishedStream } from './unfinished-stream-log.js';

/** The longest a stream's client may take to receive its end at shutdown (a share of SHUTDOWN_TIMEOUT_MS). */
const END_GRACE_MS = 2_000;

/**
 * The instance's open streams: opens them on a reply, keeps them alive with a comment line every
 * EVENTS_HEARTBEAT_SECONDS (one timer for all), and ends them when the HTTP server closes: in its
 * preClose, since the server's close waits for every open connection, and a stream never ends.
 */
@Injectable()
export class OpenStreams implements OnModuleInit {
  private readonly streams = new Set<EventStream>();
  private heartbeat: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly live: LiveEvents,
    private readonly log: EventLog,
    private readonly metrics: ServiceMetrics,
    private readonly environment: Environment,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preClose', () => this.endAll());
  }

  /**
   * Takes the reply over and streams the project's events after `after` on it. Fastify's onSend
   * hooks do not run for a hijacked reply: the headers set so far (request id, helmet's, CORS,
   * RateLimit-*) are sent from here, and the request is still logged and counted when it ends.
   */
  open(reply: FastifyReply, projectId: string, filter: EventFilter, after: string): void {
    if (this.closing) throw new ShuttingDownError();
    reply.hijack();
    const response = reply.raw;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    response.writeHead(200, { ...headers, ...STREAM_HEADERS });
    response.flushHeaders();
    recordUnfinishedStream(reply, this.metrics);
    const stream = new EventStream(response, projectId, filter, after, this.log, this.metrics, reply.log);
    const unfollow = this.live.follow(stream);
    this.add(stream);
    response.once('close', () => {
      unfollow();
      this.remove(stream);
    });
    stream.begin();
  }

  private add(stream: EventStream): void {
    this.streams.add(stream);
    this.metrics.streamOpened();
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.streams.forEach((open) => open.keepAlive()), this.environment.events.heartbeatSeconds * 1_000);
      this.heartbeat.unref();
    }
  }

  private remove(stream: EventStream): void {
    if (!this.streams.delete(stream)) return;
    this.metrics.streamClosed();
    if (this.streams.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private async endAll(): Promise<void> {
    this.closing = true;
    const graceMs = Math.min(END_GRACE_MS, this.environment.shutdownTimeoutMs / 4);
    await Promise.all(
      [...this.streams].map((stream) => {
        this.metrics.streamDropped('shutdown');
        return stream.end(graceMs);
      }),
    );
  }
}
