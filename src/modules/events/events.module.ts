import { Module } from '@nestjs/common';
import { EventJanitor } from './event-janitor.js';
import { EventLog } from './event-log.js';
import { EventSequencer } from './event-sequencer.js';
import { EventStreamController } from './http/event-stream.controller.js';
import { EventsController } from './http/events.controller.js';
import { EventRelayModule } from './relay/event-relay.module.js';
import { LiveEvents } from './stream/live-events.js';
import { OpenStreams } from './stream/open-streams.js';

/** The agent events log, read three ways: the feed, the live stream and (with NATS_URL) JetStream. */
@Module({
  imports: [EventRelayModule],
  controllers: [EventsController, EventStreamController],
  providers: [EventLog, EventSequencer, EventJanitor, LiveEvents, OpenStreams],
  exports: [EventLog],
})
export class EventsModule {}
