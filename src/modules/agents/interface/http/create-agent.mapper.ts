import type { NewAgent } from '../../domain/agent.js';
import type { CreateAgentRequest } from './create-agent.request.js';

/** Exactly the same keys (a type-level check: it compiles only when `A` and `B` name the same ones). */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;

/** The request's fields under the aggregate's names: the same, but the Charm seed's snake_case user_id. */
type RequestFields = Omit<CreateAgentRequest, 'user_id'> & { readonly userId?: CreateAgentRequest['user_id'] };

/**
 * Compile-time checks that the request and the aggregate's input name the same fields with types
 * the aggregate accepts: a field added to the domain without its request property (or the reverse)
 * fails to compile here.
 */
export const REQUEST_MATCHES_INPUT: SameKeys<RequestFields, NewAgent> = true;
export const REQUEST_TYPES_FIT: RequestFields extends NewAgent ? true : never = true;

/** The request as the aggregate's input; a null optional field counts as omitted. */
export function toNewAgent(body: Partial<CreateAgentRequest>): NewAgent {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(body) as (keyof CreateAgentRequest)[]) {
    const value = body[key];
    if (value !== undefined && value !== null) input[key === 'user_id' ? 'userId' : key] = value;
  }
  // The request's fields under NewAgent's names, each of a type NewAgent accepts (checked above).
  return input as NewAgent;
}
