export { createAgentsClient } from './client.js';
export type {
  Agent,
  AgentCreate,
  AgentEvent,
  AgentUpdate,
  AgentVersion,
  AgentsClient,
  AgentsClientOptions,
  EventType,
  FeedQuery,
  FollowOptions,
  ListItem,
  ListPage,
  ListPath,
} from './client.js';
export { AgentsApiError, ValidationError } from './errors.js';
export type { ErrorBody, HTTPValidationError, ValidationProblem } from './errors.js';
export type { components, operations, paths } from './generated/openapi.js';
