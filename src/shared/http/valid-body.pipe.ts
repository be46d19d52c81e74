import type { PipeTransform } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { compileDto, type CompiledDto } from './compiled-dto.js';
import { inspectJson } from './inspect-json.js';
import { RequestValidationError, type Problem } from './request-validation.error.js';

export interface ValidBodyOptions {
  /**
   * The body's value rules (the aggregate's), run here only when the shape is already wrong, on
   * the fields whose shape is right: so one 422 names every problem of the request.
   */
  readonly alsoCheck?: (wellShaped: Record<string, unknown>) => Problem[];
}

/**
 * The request body as an instance of its DTO class, or a 422 listing every problem: unsafe
 * strings and keys, wrong types (never coerced), missing and unknown fields.
 */
export class ValidBody<T extends object> implements PipeTransform<unknown, T> {
  /** The valid body's short way (compiled-dto.ts); class-validator's is the one that reports. */
  private readonly compiled: CompiledDto<T> | null;

  constructor(
    private readonly dto: ClassConstructor<T>,
    private readonly options: ValidBodyOptions = {},
  ) {
    this.compiled = compileDto(dto);
  }

  transform(body: unknown): T {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RequestValidationError([{ loc: ['body'], msg: 'Input should be a JSON object', type: 'model_attributes_type' }]);
    }
    const unsafe = inspectJson(body, ['body']);
    if (unsafe.length === 0) {
      const valid = this.compiled?.(body as Record<string, unknown>);
      if (valid) return valid;
    }
    // A field holding an unsafe value is reported once and kept away from the transformer.
    const unsafeFields = new Set(unsafe.map((problem) => problem.loc[1]));
    const safe = unsafe.length === 0 ? body : omit(body as Record<string, unknown>, unsafeFields);
    const instance = plainToInstance(this.dto, safe);
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (unsafe.length === 0 && errors.length === 0) return instance;

    const shapeErrors = errors.filter((error) => !unsafeFields.has(error.property));
    const problems = [...unsafe, ...uniqueByLocAndType(shapeErrors.flatMap((error) => toProblems(error, ['body'])))];
    const badFields = new Set(problems.map((problem) => problem.loc[1]));
    const wellShaped = omit(safe as Record<string, unknown>, badFields);
    const more = this.options.alsoCheck?.(wellShaped).filter((problem) => !badFields.has(problem.loc[1])) ?? [];
    throw new RequestValidationError([...problems, ...more]);
  }
}

// A wrong-typed object fails both isObject and nestedValidation: one entry says it.
function uniqueByLocAndType(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = JSON.stringify([problem.loc, problem.type]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function omit(body: Record<string, unknown>, fields: Set<string | number | undefined>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (!fields.has(key)) kept[key] = body[key];
  return kept;
}

/** class-validator's constraint names, as the contract's (FastAPI's) `type` and message. */
const PROBLEM_OF: Record<string, { type: string; msg: string }> = {
  whitelistValidation: { type: 'extra_forbidden', msg: 'Extra inputs are not permitted' },
  isDefined: { type: 'missing', msg: 'Field required' },
  isString: { type: 'string_type', msg: 'Input should be a valid string' },
  isBoolean: { type: 'bool_type', msg: 'Input should be a valid boolean' },
  isObject: { type: 'dict_type', msg: 'Input should be a valid dictionary or object' },
  nestedValidation: { type: 'dict_type', msg: 'Input should be a valid dictionary or object' },
  isArray: { type: 'list_type', msg: 'Input should be a valid list' },
  isInt: { type: 'int_type', msg: 'Input should be a valid integer' },
};

function toProblems(error: ValidationError, parent: (string | number)[]): Problem[] {
  const loc = [...parent, arrayIndexOrKey(error.property)];
  const own = Object.entries(error.constraints ?? {});
  // A missing field fails its type check too; "missing" alone says it.
  const relevant = own.some(([name]) => name === 'isDefined') ? own.filter(([name]) => name === 'isDefined') : own;
  const problems: Problem[] = relevant.map(([name, message]) => {
    const known = PROBLEM_OF[name];
    return { loc, msg: known?.msg ?? message, type: known?.type ?? name };
  });
  for (const child of error.children ?? []) problems.push(...toProblems(child, loc));
  return problems;
}

function arrayIndexOrKey(property: string): string | number {
  return /^\d+$/.test(property) ? Number(property) : property;
}
