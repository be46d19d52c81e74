import { ApiProperty } from '@nestjs/swagger';

export class ErrorBody {
  @ApiProperty({ description: 'What went wrong, for a person', example: 'Agent support-bot not found' })
  detail: string;

  @ApiProperty({ description: 'Stable snake_case code, for a program', example: 'agent_not_found' })
  code: string;
}

export class ValidationProblem {
  @ApiProperty({
    description: 'Where the problem is: "body", "query", "path" or "header", then field names and array indexes',
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    example: ['body', 'reasoningEffort'],
  })
  loc: (string | number)[];

  @ApiProperty({ description: 'What is wrong, for a person', example: 'claude-haiku-4-5 supports the reasoning efforts low, medium, high' })
  msg: string;

  @ApiProperty({ description: 'Stable problem type, for a program', example: 'unsupported_reasoning_effort' })
  type: string;
}

export class HTTPValidationError {
  @ApiProperty({ type: [ValidationProblem], description: 'Every problem of the request, at once' })
  detail: ValidationProblem[];
}
