/** Built-in app templates: the schema and the loader. */
export { appTemplateSchema, exampleRequestSchema } from './schema.js';
export type { AppTemplate, ExampleRequest } from './schema.js';
export { loadTemplates, parseTemplate, builtinTemplateDir } from './load.js';
