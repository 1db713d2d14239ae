/**
 * The API's only I/O entry point: read the configuration, connect to MongoDB, start the validator's
 * CPython workers and the runtime, seed templates, serve HTTP and the log WebSocket, and shut down
 * gracefully on SIGTERM/SIGINT.
 */
import { createServer } from 'node:http';
import { loadTemplates } from '../templates/index.js';
import { createNodeValidator } from '../validation/node.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { connectDatabase } from './db/database.js';
import { noRuntime } from './runtime/none.js';
import type { Runtime } from './runtime/types.js';
import { createServices } from './services/index.js';
import { prepare, scheduleSweeps } from './services/maintenance.js';
import { attachLogSocket } from './ws/logs.js';

const log = (message: string) => console.error(`[api] ${message}`);

async function main(): Promise<void> {
  const config = loadConfig(process.env, log);
  const db = await connectDatabase(config.mongoUri, config.mongoDb);
  const validator = await createNodeValidator(config.python ? { python: config.python } : {});
  log(`validator: ${validator.engine.name}, CPython ${validator.engine.pythonVersion}`);
  let runtime: Runtime;
  if (config.runtime === 'none') runtime = noRuntime({ appDomain: config.appDomain });
  else throw new ConfigError(`RUNTIME=${config.runtime} is not available in this build yet; use RUNTIME=none`);
  const services = createServices({ db, config, runtime, validator, log });
  const seeded = await prepare(services, await loadTemplates());
  log(`templates: ${seeded.inserted} added, ${seeded.updated} updated, ${seeded.kept} kept`);
  const stopSweeps = scheduleSweeps(services, 10 * 60_000, log);
  const app = createApp({ config, services, log });
  const server = createServer(app.koa.callback());
  // Requests still running at shutdown finish before the database closes under them.
  let inFlight = 0;
  server.on('request', (_req, res) => {
    inFlight += 1;
    res.on('close', () => { inFlight -= 1; });
  });
  const sockets = attachLogSocket(server, { services, tickets: app.tickets, config, log });
  server.listen(config.port, config.host, () => log(`listening on ${config.host}:${config.port} (${config.publicUrl})`));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('shutting down');
    stopSweeps();
    sockets.clients.forEach((ws) => ws.close(1001, 'server shutting down'));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (let waited = 0; inFlight > 0 && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    server.closeAllConnections();
    await closed;
    services.deploys.close();
    await runtime.close();
    await validator.close();
    await db.close();
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  log(error instanceof ConfigError ? error.message : `failed to start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
