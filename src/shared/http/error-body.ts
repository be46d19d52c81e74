import { ApiProperty } from '@nestjs/swagger';

export class ErrorBody {
  @ApiProperty({ description: 'What went wrong, for a person', example: 'Agent support-bot not found' })
  detail: string;

  @ApiProperty({ description: 'Stable snake_case code, for a program', example: 'agent_not_found' })
  code: string;

  @ApiProperty({ description: 'The HTTP reason phrase (for the ACP SDK)', example: 'Not Found' })
  error: string;

  @ApiProperty({ description: 'The same as detail (for the ACP SDK)', example: 'Agent support-bot not found' })
  message: string;
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

  @ApiProperty({ enum: ['validation_failed'], example: 'validation_failed' })
  code: 'validation_failed';

  @ApiProperty({ enum: ['Unprocessable Entity'], description: 'The HTTP reason phrase (for the ACP SDK)', example: 'Unprocessable Entity' })
  error: 'Unprocessable Entity';

  @ApiProperty({
    description: 'The first problem in one line, and how many more there are (for the ACP SDK)',
    example: 'reasoningEffort: claude-haiku-4-5 supports the reasoning efforts low, medium, high (and 2 more problems)',
  })
  message: string;
}
