import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventRelayModule } from '../events/relay/event-relay.module.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), EventRelayModule],
  controllers: [HealthController],
})
export class HealthModule {}
