import type { Agent } from './agent.js';

/** Where agents are kept. Every method takes the tenant (project) first. */
export abstract class AgentRepository {
  /**
   * Stores a new agent; when it is the project's default, the flag moves to it in the same
   * atomic write. Throws AgentIdConflictError when the project already has (or had) its id.
   */
  abstract insert(agent: Agent): Promise<void>;
}
