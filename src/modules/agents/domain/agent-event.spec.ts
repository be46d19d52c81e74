import { Agent } from './agent.js';
import { changedAgentFields, createdEvent, deletedEvent, updatedEvent } from './agent-event.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const LATER = new Date('2026-12-01T11:00:00.000Z');
const context = { projectId: 'prj_1', actor: { userId: 'usr_1', internal: true }, tier: 'enterprise' as const, connectedProviders: [], now: NOW };
const agent = () => Agent.create({ id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5', metadata: { team: 'a' } }, context);

describe('agent events', () => {
  it('created: cause create, no changed fields, timed at the creation', () => {
    const created = agent();
    expect(createdEvent(created)).toEqual({ type: 'agent.created', cause: 'create', agent: created, changedFields: [], time: NOW });
  });

  it('updated: the fields whose value changed, in the order the agent holds them, without the bookkeeping ones', () => {
    const changed = agent();
    const before = changed.snapshot();
    changed.update({ reasoningEffort: 'high', name: 'Billing bot', metadata: { team: 'b' }, isActive: false }, { ...context, now: LATER });
    expect(updatedEvent(before, changed, 'patch')).toEqual({
      type: 'agent.updated', cause: 'patch', agent: changed, changedFields: ['name', 'reasoningEffort', 'isActive', 'metadata'], time: LATER,
    });
  });

  it('compares objects by value, not by key order', () => {
    const before = agent().snapshot();
    expect(changedAgentFields({ ...before, config: { a: 1, b: { c: 2, d: 3 } } }, { ...before, config: { b: { d: 3, c: 2 }, a: 1 } })).toEqual([]);
    expect(changedAgentFields(before, { ...before, config: { a: 1 } })).toEqual(['config']);
  });

  it.each([true, false])('deleted (hard %s): cause delete, no changed fields, hard said', (hard) => {
    const deleted = agent();
    expect(deletedEvent(deleted, hard, LATER)).toEqual({ type: 'agent.deleted', cause: 'delete', agent: deleted, changedFields: [], time: LATER, hard });
  });
});
