import { ApiProperty } from '@nestjs/swagger';
import type { AgentCursor, Page } from '../../application/agent-queries.port.js';
import type { Agent } from '../../domain/agent.js';
import { AgentView, toAgentView } from './agent.response.js';
import { encodeAgentCursor } from './page-cursor.js';

export class AgentListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object: 'list';

  @ApiProperty({ type: [AgentView] })
  data: AgentView[];

  @ApiProperty({ description: 'Whether another page follows', example: true })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor to get the next page; null on the last page', example: 'eyJ0IjoiMjAyNi0xMS0yMlQxMDowMDowMC4wMDBaIiwiaSI6InN1cHBvcnQtYm90In0' })
  next_cursor: string | null;

  @ApiProperty({ description: 'How many agents match the filters, on every page', example: 42 })
  total_count: number;
}

export class DeletedResponse {
  @ApiProperty({ enum: [true], example: true })
  deleted: true;
}

export function toAgentList(page: Page<Agent, AgentCursor>): AgentListResponse {
  return {
    object: 'list',
    data: page.items.map(toAgentView),
    has_more: page.next !== null,
    next_cursor: page.next === null ? null : encodeAgentCursor(page.next),
    total_count: page.totalCount,
  };
}
