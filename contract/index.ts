/**
 * The contract between the API and its clients, without zod: the route table's identities, the typed
 * client, its errors, the progress stream and the API's shapes as types. The UI and the CLI import
 * this; the schemas themselves are in ./schemas (the API's side).
 */
export { routes, pathOf, type RouteName, type RouteInfo, type Method, type Auth } from './routes.js';
export { createClient, type Client, type ClientOptions, type RequestOf, type ResponseOf } from './client.js';
export { ApiError, toApiError, type FieldProblem } from './errors.js';
export { followProgress } from './progress.js';
export { progressPhases, failureReasons, type ProgressPhase, type FailureReason } from './phases.js';
export type * from './types.js';
