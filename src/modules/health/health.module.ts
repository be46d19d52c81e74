import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventRelayModule } from '../events/relay/event-relay.module.js';
import { Draining } from './draining.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), EventRelayModule],
  controllers: [HealthController],
  providers: [Draining],
  exports: [Draining],
})
export class HealthModule {}
