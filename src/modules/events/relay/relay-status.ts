import type { RelayGauges } from '../../metrics/service-metrics.js';

export type RelayState = 'disabled' | 'publishing' | 'standby' | 'nats_unavailable';

/** What this instance's NATS relay is doing, as readiness and the metrics (watchRelay) read it. */
export class EventRelayStatus implements RelayGauges {
  enabled = false;
  natsConnected = false;
  leader = false;
  backlog = 0;
  lagSeconds = 0;

  get state(): RelayState {
    if (!this.enabled) return 'disabled';
    if (!this.natsConnected) return 'nats_unavailable';
    return this.leader ? 'publishing' : 'standby';
  }
}
