import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsDefined, IsString } from 'class-validator';
import { RequestValidationError, type Problem } from '../../../../shared/http/request-validation.error.js';
import { ValidBody } from '../../../../shared/http/valid-body.pipe.js';
import { isSemver } from '../../domain/semver.js';
import { labelParamProblems, VERSION_MAX_LENGTH } from './path-params.js';

@ApiSchema({ name: 'LabelSet' })
export class SetLabelRequest {
  @ApiProperty({ description: 'The version the label is to name: one the agent has', maxLength: VERSION_MAX_LENGTH, example: '1.2.0' })
  @IsDefined()
  @IsString()
  version: string;
}

const setLabelBody = new ValidBody(SetLabelRequest);

/** The label name and the version of a PUT, or one 422 with every problem of its path segment and body. */
export function parseSetLabel(label: string, raw: unknown): { name: string; version: string } {
  const problems: Problem[] = labelParamProblems(label);
  let version: string | undefined;
  try {
    version = setLabelBody.transform(raw).version;
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    problems.push(...error.problems);
  }
  if (version !== undefined && !isSemver(version)) {
    problems.push({ loc: ['body', 'version'], msg: 'version must be a semantic version such as 1.0.0', type: 'invalid_semver' });
  }
  if (problems.length > 0 || version === undefined) throw new RequestValidationError(problems);
  return { name: label, version };
}
