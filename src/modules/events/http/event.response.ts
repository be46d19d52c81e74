import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AgentView } from '../../agents/interface/http/agent.response.js';
import { EVENT_CAUSES } from '../../agents/domain/agent-event.js';
import { EVENT_TYPES } from '../stored-event.js';

class EventActorView {
  @ApiProperty({ description: 'The user of the API key that made the change', example: 'usr_123' })
  userId: string;

  @ApiProperty({ description: 'The API key that made the change', example: 'key_4f9c2b7e1a' })
  keyId: string;
}

class EventLabelView {
  @ApiProperty({ example: 'production' })
  name: string;

  @ApiProperty({ type: String, nullable: true, description: 'The version the label now names; null when it was deleted', example: '1.2.0' })
  version: string | null;
}

class EventDataView {
  @ApiProperty({ type: AgentView, description: 'The agent exactly as GET /v1/agents/{id} returns it after the change (for a delete, its last state)' })
  agent: AgentView;

  @ApiProperty({ type: [String], description: 'The agent fields whose value changed, as the API spells them; [] for created and deleted', example: ['model', 'reasoningEffort'] })
  changedFields: string[];

  @ApiProperty({ enum: EVENT_CAUSES, example: 'patch' })
  cause: string;

  @ApiProperty({ type: EventActorView })
  actor: EventActorView;

  @ApiPropertyOptional({ description: 'On agent.deleted only: true when the agent was removed with its versions (?hard=true)', example: false })
  hard?: boolean;

  @ApiPropertyOptional({ type: EventLabelView, description: 'On a label event (cause label) only' })
  label?: EventLabelView;
}

/** An agent event: CloudEvents 1.0, structured JSON mode, with the position and tenancy extensions. */
export class CloudEventView {
  @ApiProperty({ enum: ['1.0'], example: '1.0' })
  specversion: '1.0';

  @ApiProperty({ description: 'Unique per event; the Nats-Msg-Id of its NATS message', example: 'evt_Qb7x2LmN0pR4sT6vW8yZ1A' })
  id: string;

  @ApiProperty({ enum: ['/v1/agents'], example: '/v1/agents' })
  source: string;

  @ApiProperty({ enum: EVENT_TYPES, example: 'agent.updated' })
  type: string;

  @ApiProperty({ description: 'The id of the agent the event is about', example: 'support-bot' })
  subject: string;

  @ApiProperty({ format: 'date-time', description: 'When the change was made', example: '2026-12-01T10:00:00.000Z' })
  time: string;

  @ApiProperty({ enum: ['application/json'], example: 'application/json' })
  datacontenttype: string;

  @ApiProperty({ example: 'prj_123' })
  projectid: string;

  @ApiProperty({ example: 'ws_123' })
  workspaceid: string;

  @ApiProperty({
    pattern: '^[0-9]{18}$',
    description: "The event's place in its project's log: 18 digits, sorting the same as text and as a number, strictly increasing in the order readers see the events",
    example: '000000000000012345',
  })
  position: string;

  @ApiProperty({ type: EventDataView })
  data: EventDataView;
}

export class EventListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object: 'list';

  @ApiProperty({ type: [CloudEventView], description: 'Oldest first' })
  data: CloudEventView[];

  @ApiProperty({ description: 'Whether more events follow right now', example: false })
  has_more: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[0-9]{18}$',
    description: 'Pass as after to read on: the position of the last event of the page (or the after given, when the page is empty); null only for an empty log read from its start',
    example: '000000000000012345',
  })
  next_cursor: string | null;
}
