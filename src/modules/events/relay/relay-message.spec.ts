import { relayMessage } from './relay-message.js';
import { EventRelayStatus } from './relay-status.js';
import type { StoredEvent } from '../stored-event.js';

const EVENT: StoredEvent = {
  position: '000000000000000042',
  id: 'evt_abc',
  type: 'agent.created',
  subject: 'support-bot',
  projectId: 'prj_123',
  workspaceId: 'ws_1',
  time: new Date('2026-12-01T10:00:00.000Z'),
  data: '{"agent":{"id":"support-bot"}}',
};

describe('relayMessage', () => {
  it('publishes on agents.<projectId>.<type>, the event id as Nats-Msg-Id, the CloudEvent JSON as payload', () => {
    const message = relayMessage(EVENT);

    expect(message.subject).toBe('agents.prj_123.agent.created');
    expect(message.msgId).toBe('evt_abc');
    expect(message.headers.get('Content-Type')).toBe('application/cloudevents+json');
    expect(JSON.parse(message.payload)).toMatchObject({ id: 'evt_abc', type: 'agent.created', position: '000000000000000042', data: { agent: { id: 'support-bot' } } });
  });
});

describe('EventRelayStatus', () => {
  it('is disabled without NATS, nats_unavailable while NATS is away, else publishing or standby by leadership', () => {
    const status = new EventRelayStatus();
    const states = [status.state];
    status.enabled = true;
    status.leader = true;
    states.push(status.state);
    status.natsConnected = true;
    states.push(status.state);
    status.leader = false;
    states.push(status.state);

    expect(states).toEqual(['disabled', 'nats_unavailable', 'publishing', 'standby']);
  });
});
