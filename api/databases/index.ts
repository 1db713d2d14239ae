export { localFerretDbProvider } from './ferretdb-local.js';
export { kubernetesFerretDbProvider, type KubernetesFerretDbOptions } from './ferretdb-kubernetes.js';
export { databaseUri, mongoAdmin, mongodbProvider, type AdminCommands } from './mongodb.js';
export type { DatabaseProvider, DatabaseRef, Lease } from './types.js';
