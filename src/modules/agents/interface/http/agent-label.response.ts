import { ApiProperty } from '@nestjs/swagger';
import type { AgentLabel } from '../../domain/agent-label.js';

export class AgentLabelView {
  @ApiProperty({ description: 'The label name', example: 'production' })
  name: string;

  @ApiProperty({ description: 'The version it names', example: '1.2.0' })
  version: string;

  @ApiProperty({ format: 'date-time', description: 'When it was last set', example: '2026-12-01T10:00:00.000Z' })
  updatedAt: string;
}

export class AgentLabelEnvelope {
  @ApiProperty({ type: AgentLabelView })
  label: AgentLabelView;
}

export class AgentLabelListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object: 'list';

  @ApiProperty({ type: [AgentLabelView], description: 'The labels set on the agent, by name. latest is implicit (always the current version) and not listed' })
  data: AgentLabelView[];
}

export function toLabelView(label: AgentLabel): AgentLabelView {
  return { name: label.name, version: label.version, updatedAt: label.updatedAt.toISOString() };
}

export function toLabelList(labels: readonly AgentLabel[]): AgentLabelListResponse {
  return { object: 'list', data: labels.map(toLabelView) };
}
