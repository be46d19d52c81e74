import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the database pool reports of itself (pg's Pool). */
export interface PoolGauges {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** What the NATS relay reports of itself. */
export interface RelayGauges {
  /** This instance holds the publisher's lease (one instance at a time publishes). */
  readonly leader: boolean;
  /** Events not yet acknowledged by JetStream, as this instance last counted them. */
  readonly backlog: number;
  /** Age of the oldest such event, in seconds (0 without backlog). */
  readonly lagSeconds: number;
}

const LATENCY_BUCKETS_SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const UNMATCHED_ROUTE = 'unmatched';

/**
 * The service's Prometheus metrics, in a registry of its own (one per app, so that several apps in
 * one process do not collide). Requests are labelled by route template (`/v1/agents/:id`), never
 * by raw URL, so an agent id can never become a label.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private inFlight = 0;
  private pool: PoolGauges | null = null;
  private readonly requests: Counter<'method' | 'route' | 'status_code'>;
  private readonly latency: Histogram<'method' | 'route' | 'status_code'>;
  // The labelled children by "method route status", so that a request costs a Map lookup rather
  // than prom-client's hashing of a label object.
  private readonly byRequestKind = new Map<string, { count: Counter.Internal; latency: Histogram.Internal<string> }>();
  private readonly rateLimitRefusals: Counter;
  private readonly idempotentReplays: Counter;
  private relay: RelayGauges | null = null;
  private openStreams = 0;
  private readonly sequenced: Counter;
  private readonly streamed: Counter;
  private readonly streamsDropped: Counter<'reason'>;
  private readonly published: Counter;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'http_requests_total', help: 'Answered HTTP requests', labelNames: ['method', 'route', 'status_code'], registers });
    this.latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the request to its answer',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    const metrics = this;
    new Gauge({ name: 'http_requests_in_flight', help: 'Requests received and not yet answered', registers, collect() { this.set(metrics.inFlight); } });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the database pool, by state (total, idle)',
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'total' }, metrics.pool?.totalCount ?? 0);
        this.set({ state: 'idle' }, metrics.pool?.idleCount ?? 0);
      },
    });
    new Gauge({ name: 'db_pool_waiting_requests', help: 'Queries waiting for a free pool connection', registers, collect() { this.set(metrics.pool?.waitingCount ?? 0); } });
    this.rateLimitRefusals = new Counter({ name: 'rate_limit_refusals_total', help: 'Requests refused with a 429 by the per-key rate limit', registers });
    this.idempotentReplays = new Counter({ name: 'idempotent_replays_total', help: 'Retries answered with the stored answer of their Idempotency-Key', registers });
    this.sequenced = new Counter({ name: 'events_sequenced_total', help: 'Agent events given their position by this instance', registers });
    new Gauge({ name: 'events_streams_open', help: 'Live event streams (GET /v1/events/stream) open on this instance', registers, collect() { this.set(metrics.openStreams); } });
    this.streamed = new Counter({ name: 'events_streamed_total', help: 'Events written to live streams', registers });
    this.streamsDropped = new Counter({ name: 'events_streams_dropped_total', help: 'Live streams this instance closed, by reason (slow: the client stopped reading)', labelNames: ['reason'], registers });
    this.published = new Counter({ name: 'events_relay_published_total', help: 'Events JetStream acknowledged to this instance', registers });
    new Gauge({ name: 'events_relay_leader', help: '1 while this instance is the one publishing to NATS', registers, collect() { this.set(metrics.relay?.leader ? 1 : 0); } });
    new Gauge({ name: 'events_relay_backlog', help: 'Events not yet acknowledged by JetStream', registers, collect() { this.set(metrics.relay?.backlog ?? 0); } });
    new Gauge({ name: 'events_relay_lag_seconds', help: 'Age of the oldest event not yet acknowledged by JetStream', registers, collect() { this.set(metrics.relay?.lagSeconds ?? 0); } });
  }

  watchRelay(relay: RelayGauges): void {
    this.relay = relay;
  }

  eventsSequenced(count: number): void {
    if (count > 0) this.sequenced.inc(count);
  }

  streamOpened(): void {
    this.openStreams++;
  }

  streamClosed(): void {
    this.openStreams--;
  }

  eventsStreamed(count: number): void {
    if (count > 0) this.streamed.inc(count);
  }

  streamDropped(reason: 'slow' | 'shutdown'): void {
    this.streamsDropped.inc({ reason });
  }

  eventsPublished(count: number): void {
    if (count > 0) this.published.inc(count);
  }

  watchPool(pool: PoolGauges): void {
    this.pool = pool;
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestEnded(): void {
    this.inFlight--;
  }

  requestAnswered(method: string, route: string | undefined, statusCode: number, milliseconds: number): void {
    const key = `${method} ${route ?? UNMATCHED_ROUTE} ${statusCode}`;
    let children = this.byRequestKind.get(key);
    if (!children) {
      const labels = { method, route: route ?? UNMATCHED_ROUTE, status_code: String(statusCode) };
      children = { count: this.requests.labels(labels), latency: this.latency.labels(labels) };
      this.byRequestKind.set(key, children);
    }
    children.count.inc();
    children.latency.observe(milliseconds / 1000);
  }

  rateLimitRefused(): void {
    this.rateLimitRefusals.inc();
  }

  idempotentReplayed(): void {
    this.idempotentReplays.inc();
  }
}
