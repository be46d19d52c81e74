import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import fc from 'fast-check';
import { compileDto } from '../../../../shared/http/compiled-dto.js';
import { BinaryRequest } from './binary.request.js';
import { CreateAgentRequest } from './create-agent.request.js';
import { RestoreVersionRequest } from './restore-version.request.js';
import { SetLabelRequest } from './set-label.request.js';
import { UpdateAgentRequest } from './update-agent.request.js';

// The compiled check is the valid body's short way past class-validator and class-transformer
// (ValidBody): for every body, it must pass exactly those class-validator passes, and give the
// instance plainToInstance gives. Checked here on random bodies made of the DTOs' own fields.

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
const REQUESTS: [string, ClassConstructor<object>][] = [
  ['CreateAgentRequest', CreateAgentRequest],
  ['UpdateAgentRequest', UpdateAgentRequest],
  ['RestoreVersionRequest', RestoreVersionRequest],
  ['SetLabelRequest', SetLabelRequest],
  ['BinaryRequest', BinaryRequest],
];
// JSON.parse's objects have Object's prototype, as plainToInstance's copies do.
const dictionary = <T>(keys: fc.Arbitrary<string>, values: fc.Arbitrary<T>, maxKeys: number) => fc.dictionary(keys, values, { maxKeys, noNullPrototype: true });
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const anything: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('object')),
  list: fc.array(tie('any'), { maxLength: 3 }),
  object: dictionary(fc.constantFrom('a', 'b', 'path', 'args'), tie('any'), 3),
})).any;
// Mostly the type each field wants, sometimes anything at all: valid bodies and near misses.
const typed = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: right }, { weight: 1, arbitrary: anything });
const text = typed(fc.string({ maxLength: 8 }));
const flag = typed(fc.boolean());
const texts = typed(fc.array(typed(fc.string({ maxLength: 8 })), { maxLength: 3 }));
const object = typed(dictionary(fc.string({ maxLength: 4 }), anything, 3));
const binary = typed(fc.record({ path: text, args: texts, shell: flag }, { requiredKeys: [] }));
const FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  id: text, name: text, description: text, model: text, instructions: text, binary, reasoningEffort: text, enabledSkills: texts,
  deepResearchModel: text, metadata: object, config: object, version: text, isDefault: flag, isActive: flag, user_id: text,
  label: text, path: text, args: texts, unknownField: text,
};
/** Bodies of the DTO's own fields (any of them missing), and now and then one it does not know. */
function bodiesOf(dto: ClassConstructor<object>): fc.Arbitrary<Record<string, unknown>> {
  const own = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false).map((metadata) => metadata.propertyName));
  const fields = Object.fromEntries(Object.entries(FIELDS).filter(([name]) => own.has(name)));
  const stranger = fc.option(fc.constantFrom(...Object.keys(FIELDS).filter((name) => !own.has(name))), { freq: 8 });
  return fc.tuple(fc.record(fields, { requiredKeys: [] }), stranger, text).map(([known, name, value]) =>
    Object.assign({}, known, name === null ? {} : { [name]: value }));
}

function classValidatorPasses(dto: ClassConstructor<object>, plain: Record<string, unknown>): boolean {
  return validateSync(plainToInstance(dto, plain), OPTIONS).length === 0;
}

describe.each(REQUESTS)('the compiled check of %s', (_name, dto) => {
  const compiled = compileDto(dto)!;

  it('compiles (every rule of the DTO is one it follows)', () => {
    expect(compiled).not.toBeNull();
  });

  it('passes exactly the bodies class-validator passes, as the instance plainToInstance makes', () => {
    let passed = 0;
    fc.assert(
      fc.property(bodiesOf(dto), (plain) => {
        const instance = compiled(plain);
        expect(instance !== null).toBe(classValidatorPasses(dto, plain));
        if (instance !== null) {
          passed++;
          expect(instance).toStrictEqual(plainToInstance(dto, plain));
        }
      }),
      { numRuns: 3_000 },
    );
    // Not only refusals: the random bodies include valid ones, and those were compared.
    expect(passed).toBeGreaterThan(20);
  });
});

describe('the compiled check of a create', () => {
  const compiled = compileDto(CreateAgentRequest)!;

  it('makes the nested binary a BinaryRequest, as plainToInstance does', () => {
    const instance = compiled({ name: 'A', binary: { path: '/bin/agent', args: ['--fast'] } }) as CreateAgentRequest;
    expect(instance).toBeInstanceOf(CreateAgentRequest);
    expect(instance.binary).toBeInstanceOf(BinaryRequest);
    expect(instance.binary).toEqual({ path: '/bin/agent', args: ['--fast'] });
  });

  it.each([
    ['an unknown field', { name: 'A', colour: 'red' }],
    ['a missing name', { model: 'claude-sonnet-4-5' }],
    ['a number for a string', { name: 7 }],
    ['a string among the skills', { name: 'A', enabledSkills: ['deep_research', 1] }],
    ['an unknown field of the binary', { name: 'A', binary: { path: '/bin/agent', shell: true } }],
    ['a list for the binary', { name: 'A', binary: [{ path: '/bin/agent' }] }],
  ])('leaves %s to class-validator', (_case, plain) => {
    expect(compiled(plain)).toBeNull();
    expect(classValidatorPasses(CreateAgentRequest, plain)).toBe(false);
  });
});
