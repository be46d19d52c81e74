import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { TransformationType, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';

/**
 * A DTO's class-validator rules, looked up once and kept as a plan per property: the valid body's
 * path without class-validator's per-call work (finding and grouping the metadata, an error
 * object per property) nor class-transformer's (a deep copy). The rules are still the DTO's
 * decorators, run by their own validate functions, with the options ValidBody gives
 * validateSync (whitelist, forbidNonWhitelisted, forbidUnknownValues).
 *
 * It only answers "valid, and here is the instance plainToInstance would make" or "ask
 * class-validator": a body it does not pass goes the full way, which writes the 422. A DTO using
 * anything it does not follow (async rules, a rule's own validateIf, a nested DTO without @Type,
 * class-transformer transforms) is not compiled at all (`compileDto` returns null).
 */
export type CompiledDto<T> = (body: Record<string, unknown>) => T | null;

interface Check {
  readonly metadata: ValidationMetadata;
  readonly validate: (value: unknown, args: ValidationArguments) => unknown;
}

interface PropertyPlan {
  readonly name: string;
  /** IsOptional and ValidateIf: every one must hold for the property to be checked at all. */
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  /** IsDefined's, then the others, in class-validator's order. */
  readonly checks: readonly Check[];
  /** The @Type of a nested DTO (ValidateNested), compiled. */
  readonly nested: CompiledDto<object> | null;
}

const HANDLED = new Set<string>([
  ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.IS_DEFINED, ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.NESTED_VALIDATION,
]);

export function compileDto<T extends object>(dto: ClassConstructor<T>): CompiledDto<T> | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false);
  if (metadatas.length === 0) return null;
  const transforms = defaultMetadataStorage.getExposedMetadatas(dto).length + defaultMetadataStorage.getExcludedMetadatas(dto).length;
  if (transforms > 0) return null;

  const plans: PropertyPlan[] = [];
  for (const [name, own] of Object.entries(storage.groupByPropertyName(metadatas))) {
    if (own.some((metadata) => !HANDLED.has(metadata.type) || metadata.validateIf)) return null;
    if (defaultMetadataStorage.findTransformMetadatas(dto, name, TransformationType.PLAIN_TO_CLASS).length > 0) return null;
    const checks: Check[] = [];
    for (const metadata of [...own.filter((m) => m.type === ValidationTypes.IS_DEFINED), ...own.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)]) {
      for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
        if (constraint.async) return null;
        checks.push({ metadata, validate: (value, args) => constraint.instance.validate(value, args) });
      }
    }
    let nested: CompiledDto<object> | null = null;
    if (own.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION)) {
      const type = defaultMetadataStorage.findTypeMetadata(dto, name);
      const nestedDto = type?.typeFunction() as ClassConstructor<object> | undefined;
      nested = nestedDto ? compileDto(nestedDto) : null;
      if (nested === null) return null;
    }
    const conditions = own.filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION).map((metadata) => metadata.constraints[0] as PropertyPlan['conditions'][number]);
    plans.push({ name, conditions, checks, nested });
  }
  const known = new Set(plans.map((plan) => plan.name));
  const nestedOf = new Map(plans.filter((plan) => plan.nested !== null).map((plan) => [plan.name, plan.nested!]));

  return (body) => {
    const instance = new dto() as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!known.has(key)) return null; // whitelist, forbidNonWhitelisted
      const value = body[key];
      const nested = nestedOf.get(key);
      if (nested === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) instance[key] = value;
      else {
        const converted = nested(value as Record<string, unknown>);
        if (converted === null) return null;
        instance[key] = converted;
      }
    }
    for (const plan of plans) if (!passes(plan, instance, dto.name)) return null;
    return instance as T;
  };
}

function passes(plan: PropertyPlan, object: Record<string, unknown>, targetName: string): boolean {
  const value = object[plan.name];
  for (const condition of plan.conditions) if (!condition(object, value)) return true;
  for (const { metadata, validate } of plan.checks) {
    const args: ValidationArguments = { targetName, property: plan.name, object, value, constraints: metadata.constraints };
    if (metadata.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
      for (const element of value instanceof Map ? value.values() : value) if (!validate(element, args)) return false;
    } else if (!validate(value, args)) {
      return false;
    }
  }
  // A nested DTO was converted, and so checked, above; anything else there is class-validator's to refuse.
  if (plan.nested !== null && value !== undefined && !(value instanceof Object && !Array.isArray(value))) return false;
  return true;
}
