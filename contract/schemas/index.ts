/**
 * The zod side of the contract: every schema of the API's requests and responses, and the route
 * table's schemas. The API and the tests import these at run time; the UI and the CLI only as types
 * (through ../types.ts), so zod never reaches their bundles.
 */
export * from './accounts.js';
export * from './admin.js';
export * from './apps.js';
export * from './common.js';
export * from './databases.js';
export * from './device.js';
export * from './runtime.js';
export * from './templates.js';
export { healthResponse, routeSchemas, type RouteSchemas, type RouteSchemaTable } from './table.js';
export { cliOutput } from './cli.js';
