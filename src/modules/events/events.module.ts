import { Module } from '@nestjs/common';
import { EventJanitor } from './event-janitor.js';
import { EventLog } from './event-log.js';
import { EventSequencer } from './event-sequencer.js';
import { EventsController } from './http/events.controller.js';
import { EventRelayModule } from './relay/event-relay.module.js';

/** The agent events log, read three ways: the feed, the live stream and (with NATS_URL) JetStream. */
@Module({
  imports: [EventRelayModule],
  controllers: [EventsController],
  providers: [EventLog, EventSequencer, EventJanitor],
  exports: [EventLog],
})
export class EventsModule {}
