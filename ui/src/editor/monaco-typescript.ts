/**
 * TypeScript apps' editor support, a lazy chunk that code-editor.tsx loads only when a TypeScript or
 * JavaScript file is open: Monaco's TypeScript language service (its own worker), set up as the Node
 * runner loads code (ES modules, JSX through hono/jsx, `./x.js` meaning x.ts), with the runner's own
 * packages' declarations (Hono, zod, @hono/zod-openapi, the mongodb driver…) for completion and
 * checking, and a small declaration of the Node globals apps use. Always loaded through the literal
 * import('./monaco-typescript'), after monaco-slim.
 */
// Monaco's slim build first: its MonacoEnvironment is set before this one wraps it.
import './monaco-slim';
import { javascriptDefaults, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import TypeScriptWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import runnerTypes from 'virtual:runner-types';

/** What a web app uses of Node beyond the web platform's globals; built-in modules type as `any`. */
const nodeGlobals = `
declare namespace NodeJS {
  interface ProcessEnv { [name: string]: string | undefined }
  interface ErrnoException extends Error { code?: string; errno?: number; path?: string; syscall?: string }
}
declare var process: {
  env: NodeJS.ProcessEnv; pid: number; version: string; versions: Record<string, string>; platform: string; argv: string[];
  cwd(): string; uptime(): number; exit(code?: number): never; memoryUsage(): Record<string, number>; getuid?(): number;
  nextTick(callback: (...args: any[]) => void, ...args: any[]): void; on(event: string, listener: (...args: any[]) => void): unknown;
};
declare var Buffer: {
  from(data: string | ArrayBuffer | ArrayLike<number>, encoding?: string): Uint8Array & { toString(encoding?: string): string };
  byteLength(text: string, encoding?: string): number; isBuffer(value: unknown): boolean;
};
declare module 'node:*';
`;

const environment = self.MonacoEnvironment;
self.MonacoEnvironment = {
  getWorker: (workerId: string, label: string) => (label === 'typescript' || label === 'javascript'
    ? new TypeScriptWorker()
    : (environment?.getWorker?.(workerId, label) as Worker)),
};

const compilerOptions = {
  target: 99, module: 99, moduleResolution: 100 /* bundler: package exports, and ./x.js for x.ts */,
  jsx: 4 /* react-jsx */, jsxImportSource: 'hono/jsx', lib: ['esnext', 'dom', 'dom.iterable'],
  strict: true, allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, esModuleInterop: true,
  allowImportingTsExtensions: true, resolveJsonModule: true, isolatedModules: true, types: [],
};
for (const defaults of [typescriptDefaults, javascriptDefaults]) {
  defaults.setCompilerOptions(compilerOptions);
  // Every project file's model is known to the worker, so imports between them resolve before they are opened.
  defaults.setEagerModelSync(true);
  defaults.setExtraLibs([
    ...Object.entries(runnerTypes).map(([filePath, content]) => ({ filePath, content })),
    { filePath: 'file:///node_modules/@types/fastapi-platform-node/index.d.ts', content: nodeGlobals },
  ]);
}

export const typescriptReady = true;
