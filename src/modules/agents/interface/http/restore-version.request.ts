import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { VERSION_MAX_LENGTH } from './path-params.js';

@ApiSchema({ name: 'VersionRestore' })
export class RestoreVersionRequest {
  @ApiPropertyOptional({ description: 'Name of the new version: semver, greater than the current one. Omitted: the next patch release', maxLength: VERSION_MAX_LENGTH, example: '2.0.0' })
  @IsOptional()
  @IsString()
  version?: string;
}
