import { DECORATORS } from '@nestjs/swagger';
import { getMetadataArgsStorage } from 'typeorm';
import { Agent, type AgentProps } from '../../domain/agent.js';
import { CANDIDATE_FIELDS, VERSIONED_FIELDS } from '../../domain/agent-rules.js';
import { changedFields, configurationOf } from '../../domain/agent-version.js';
import { AGENT_COLUMNS, toDomain, toPersistence, toVersion } from '../../infrastructure/agent.mapper.js';
import { AgentOrmEntity } from '../../infrastructure/agent.orm-entity.js';
import { AgentVersionView, toVersionView } from './agent-version.response.js';
import { AgentView, toAgentView } from './agent.response.js';
import { CreateAgentRequest } from './create-agent.request.js';
import { UpdateAgentRequest } from './update-agent.request.js';

// One definition per agent field: a versioned field is its rule (domain/agent-rules.ts), its request
// property (create-agent.request.ts), its column (agent.orm-entity.ts and a migration) and its view
// property (agent.response.ts). Everything else is derived; the compiler points at a forgotten
// request property, column or view property (the SameKeys checks in create-agent.mapper.ts,
// agent.mapper.ts and agent.response.ts), the schema test at a forgotten migration, and these
// tests at any derived list that would disagree.

/** The properties a class documents in the OpenAPI document, in their order. */
function documented(type: abstract new () => unknown): string[] {
  return (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, type.prototype) as string[]).map((key) => key.slice(1));
}

const NOW = new Date('2026-12-01T10:00:00.000Z');
const agent = Agent.create(
  {
    name: ' Bot ',
    model: 'claude-sonnet-4-5',
    description: 'Answers',
    binary: { path: '/usr/local/bin/claude', args: ['--verbose'] },
    enabledSkills: ['deep_research'],
    deepResearchModel: 'gemini-3-flash-preview',
    metadata: { team: 'billing' },
    config: { temperature: 0.2 },
  },
  { projectId: 'prj_1', actor: { userId: 'usr_1', internal: false }, tier: 'free', connectedProviders: [], now: NOW },
);
const fieldsOf = (props: AgentProps) => Object.keys(props).sort();

describe('one definition per agent field', () => {
  it('makes the version snapshot of exactly the versioned fields, in their order', () => {
    expect(Object.keys(agent.configuration())).toEqual([...VERSIONED_FIELDS]);
    expect(Object.keys(agent.recordedVersion!.configuration)).toEqual([...VERSIONED_FIELDS]);
    expect(Object.keys(configurationOf(agent.snapshot()))).toEqual([...VERSIONED_FIELDS]);
  });

  it('stores every field of the aggregate in a column of the entity (all but deleted_at), and reads it back', () => {
    expect(AGENT_COLUMNS.map((column) => column.property).sort()).toEqual(fieldsOf(agent.snapshot()));
    const entity = getMetadataArgsStorage().columns.filter((column) => column.target === AgentOrmEntity);
    expect(entity.map((column) => column.propertyName)).toEqual([...AGENT_COLUMNS.map((column) => column.property), 'deletedAt']);
    const values = toPersistence(agent);
    // The row as node-postgres returns it: JSON parsed.
    const row = Object.fromEntries(
      AGENT_COLUMNS.map((column, i) => [column.name, column.sqlType === 'jsonb' && values[i] !== null ? JSON.parse(String(values[i])) : values[i]]),
    );
    expect(toDomain(row).snapshot()).toEqual(agent.snapshot());
  });

  it('takes the column list and the placeholders of the insert from the entity, in one order', () => {
    expect(AGENT_COLUMNS.slice(0, 2).map((column) => column.name)).toEqual(['project_id', 'id']);
    expect(AGENT_COLUMNS.find((column) => column.property === 'binary')).toEqual({ property: 'binary', name: 'execution_binary', sqlType: 'jsonb' });
    expect(AGENT_COLUMNS.find((column) => column.property === 'enabledSkills')).toEqual({ property: 'enabledSkills', name: 'enabled_skills', sqlType: 'text[]' });
    expect(toPersistence(agent)).toHaveLength(AGENT_COLUMNS.length);
  });

  it('shows every field but the revision in the agent view, and the versioned fields in the version view', () => {
    const shown = fieldsOf(agent.snapshot()).filter((field) => field !== 'revision');
    expect([...documented(AgentView)].sort()).toEqual(shown);
    expect(Object.keys(toAgentView(agent)).sort()).toEqual(shown);
    const configurationView = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, AgentVersionView.prototype, 'configuration').type;
    expect(documented(configurationView)).toEqual([...VERSIONED_FIELDS]);
    expect(Object.keys(toVersionView({ ...agent.recordedVersion!, createdBy: null }).configuration)).toEqual([...VERSIONED_FIELDS]);
  });

  it('has a request property for every field of the candidate, and derives PATCH from POST', () => {
    const requested = CANDIDATE_FIELDS.map((field) => (field === 'userId' ? 'user_id' : field));
    expect([...documented(CreateAgentRequest)].sort()).toEqual([...requested, 'isDefault', 'isSystem'].sort());
    expect(documented(UpdateAgentRequest)).toEqual([...documented(CreateAgentRequest).filter((field) => field !== 'user_id'), 'isActive']);
  });

  it('reads a version stored before a field existed with the default an omitted field gets', () => {
    const { reasoningEffort: _effort, enabledSkills: _skills, deepResearchModel: _deepResearch, binary: _binary, ...older } = agent.recordedVersion!.configuration;
    void [_effort, _skills, _deepResearch, _binary];
    const version = toVersion({ project_id: 'prj_1', agent_id: agent.id, number: 1, version: '1.0.0', configuration: older, created_at: NOW, created_by: null });
    expect(version.configuration).toEqual({ ...older, reasoningEffort: 'medium', enabledSkills: [], deepResearchModel: null, binary: null });
    expect(version.createdBy).toBeNull();
    expect(Object.keys(version.configuration)).toEqual([...VERSIONED_FIELDS]);
  });

  it('names the changed versioned fields from the same list', () => {
    const before = agent.configuration();
    expect(changedFields(before, before)).toEqual([]);
    expect(changedFields(before, { ...before, model: 'claude-opus-4-6', reasoningEffort: 'high', config: { temperature: 0.2 } })).toEqual(['model', 'reasoningEffort']);
  });

  it('hands out a frozen snapshot', () => {
    expect(Object.isFrozen(agent.snapshot())).toBe(true);
  });
});
