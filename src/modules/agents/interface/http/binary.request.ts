import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsDefined, IsOptional, IsString } from 'class-validator';
import { LIMITS } from '../../domain/agent-rules.js';

export class BinaryRequest {
  @ApiProperty({ description: 'Path of the executable', minLength: 1, maxLength: LIMITS.binaryPathLength, example: '/usr/local/bin/claude' })
  @IsDefined()
  @IsString()
  path: string;

  @ApiPropertyOptional({
    description: 'Arguments passed to the executable',
    type: [String],
    maxItems: LIMITS.binaryArgs,
    items: { type: 'string', maxLength: LIMITS.binaryArgLength },
    example: ['--verbose'],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  args?: string[];
}
