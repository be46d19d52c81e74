import { headers, type MsgHdrs } from '@nats-io/transport-node';
import { cloudEventJson, type StoredEvent } from '../stored-event.js';

/** The subjects the relay publishes on, the stream's subjects when the relay creates it. */
export const RELAY_SUBJECTS = 'agents.>';

/** What JetStream is sent for one event. */
export interface RelayMessage {
  readonly subject: string;
  readonly payload: string;
  /** Nats-Msg-Id: JetStream drops a re-publish of the same event within its duplicate window. */
  readonly msgId: string;
  readonly headers: MsgHdrs;
}

export function relayMessage(event: StoredEvent): RelayMessage {
  const messageHeaders = headers();
  messageHeaders.set('Content-Type', 'application/cloudevents+json');
  return { subject: `agents.${event.projectId}.${event.type}`, payload: cloudEventJson(event), msgId: event.id, headers: messageHeaders };
}
