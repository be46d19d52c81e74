import { ApiProperty } from '@nestjs/swagger';
import { TIERS } from '../../../../shared/domain/tier.js';
import { REASONING_EFFORTS } from '../../domain/reasoning-effort.js';

export class ModelView {
  @ApiProperty({ example: 'claude-sonnet-4-5' })
  id: string;

  @ApiProperty({ example: 'Claude Sonnet 4.5' })
  label: string;

  @ApiProperty({ example: 'Balanced intelligence and speed for everyday agents, coding and tool use.' })
  description: string;

  @ApiProperty({ enum: ['standard', 'high', 'highest'], nullable: true, example: 'high' })
  intelligence: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Context window in tokens', example: 200000 })
  contextWindow: number | null;

  @ApiProperty({ enum: ['fastest', 'fast', 'moderate'], nullable: true, example: 'fast' })
  speed: string | null;

  @ApiProperty({ enum: ['managed', 'external'], example: 'managed' })
  source: 'managed' | 'external';

  @ApiProperty({ description: 'anthropic or google for managed models; the connected provider type for external ones', example: 'anthropic' })
  providerType: string;

  @ApiProperty({ enum: TIERS, example: 'free' })
  requiredTier: string;

  @ApiProperty({ description: "True when the workspace's tier does not reach the model", example: false })
  locked: boolean;

  @ApiProperty({ enum: REASONING_EFFORTS, isArray: true, example: ['low', 'medium', 'high'] })
  reasoningEfforts: string[];

  @ApiProperty({ enum: REASONING_EFFORTS, example: 'medium' })
  defaultReasoningEffort: string;
}

export class ModelsResponse {
  @ApiProperty({ enum: TIERS, description: "The caller's workspace tier", example: 'pro' })
  tier: string;

  @ApiProperty({
    description: "The model an agent created without one gets: the workspace's choice (CLI `workspaces set-default-model`) while its tier reaches it, else claude-sonnet-4-5",
    example: 'claude-sonnet-4-5',
  })
  defaultModel: string;

  @ApiProperty({ type: [ModelView] })
  models: ModelView[];
}
