import { Module } from '@nestjs/common';
import { EventRelay } from './event-relay.js';
import { EventRelayStatus } from './relay-status.js';

/** The NATS JetStream relay (idle without NATS_URL); its status is for readiness. */
@Module({
  providers: [EventRelay, EventRelayStatus],
  exports: [EventRelayStatus],
})
export class EventRelayModule {}
