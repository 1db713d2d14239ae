/**
 * The Node runner's start-up, in order (the same contract as the Python runner, runner/CONTRACT.md):
 * read the environment, install the TypeScript hooks, make a scratch working directory, import the app
 * (reporting any failure as one structured line naming the .ts file and line), then serve it on
 * FP_LISTEN, reporting where, until SIGTERM lets in-flight requests finish.
 */
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { needsCompile } from './compile.js';
import { describeListen, loadConfig, type RunnerConfig } from './config.js';
import { emit } from './events.js';
import { errorParts, exitImportFailed, exitNoApp, formatTraceback, report } from './failure.js';
import type { HooksData } from './hooks.js';
import { AppNotFound, importApp, locateImportFailure, type LoadedApp } from './loader.js';
import { createPlatformServer } from './server.js';
import { prepareWorkdir } from './workdir.js';

function configOrExit(): RunnerConfig {
  try {
    return loadConfig();
  } catch (error) {
    emit('start-failed', { type: 'ConfigError', message: errorParts(error).message, file: null, line: null, phase: 'config' });
    process.exit(exitImportFailed);
  }
}

async function loadOrExit(config: RunnerConfig): Promise<LoadedApp> {
  try {
    return await importApp(config.codeDir, config.entrypoint);
  } catch (error) {
    if (error instanceof AppNotFound) {
      report('start-failed', { type: 'AppNotFound', message: error.message, file: config.entrypoint, line: error.line, column: null, phase: 'import' }, config.terminationLog);
      process.exit(exitNoApp);
    }
    const { type, message } = errorParts(error);
    const place = await locateImportFailure(error, config.codeDir, config.entrypoint);
    report('start-failed', { type, message, ...place, phase: 'import' }, config.terminationLog);
    // A compile error's stack is the runner's own; its place is what the reader needs.
    const compileError = (error as { fp?: unknown }).fp !== undefined;
    process.stderr.write(compileError ? `${place.file}:${place.line}:${place.column}: ${type}: ${message}\n` : `${formatTraceback(error, config.codeDir)}\n`);
    process.exit(exitImportFailed);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const data: HooksData = { codeUrl: pathToFileURL(`${config.codeDir}/`).href, warmCompiler: needsCompile(config.entrypoint) };
  register('./hooks.mjs', import.meta.url, { data });
  prepareWorkdir(config.codeDir);
  const loaded = await loadOrExit(config);
  emit('imported', { framework: loaded.framework, entrypoint: config.entrypoint });

  // Hono's default error handler, to tell an app's own onError from it (the app has loaded hono already).
  const defaultHonoErrorHandler = loaded.framework === 'hono' ? (new (await import('hono')).Hono() as unknown as { errorHandler: unknown }).errorHandler : undefined;
  const server = await createPlatformServer({ loaded, codeDir: config.codeDir, instance: config.instance, version: config.version, forwardedAllowIps: config.forwardedAllowIps }, defaultHonoErrorHandler);
  const { listen } = config;
  server.on('error', (error) => {
    report('start-failed', { type: 'ListenError', message: `cannot listen on ${describeListen(listen)}: ${errorParts(error).message}`, file: null, line: null, column: null, phase: 'startup' }, config.terminationLog);
    process.exit(exitImportFailed);
  });
  const onListening = () => {
    const address = server.address();
    if (listen.kind === 'unix') emit('listening', { listen: `unix:${listen.path}`, path: listen.path });
    else if (address && typeof address === 'object') emit('listening', { listen: `tcp:${address.address}:${address.port}`, host: address.address, port: address.port });
  };
  if (listen.kind === 'unix') {
    // A socket left by an earlier process at this path would make listen() fail.
    if (existsSync(listen.path) && lstatSync(listen.path).isSocket()) unlinkSync(listen.path);
    server.listen(listen.path, onListening);
  } else {
    server.listen(listen.port, listen.host, onListening);
  }

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Stop accepting, end idle kept-alive connections, let in-flight requests finish (bounded), exit 0.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), config.gracefulSeconds * 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A promise the app forgot to handle is reported, not fatal: one stray rejection must not take every
  // request down (an uncaught exception still ends the process, as its state is unknown).
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`Unhandled promise rejection: ${formatTraceback(reason, config.codeDir)}\n`);
  });
}

await main();
