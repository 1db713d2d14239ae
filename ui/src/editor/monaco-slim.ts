/**
 * Monaco's slim build (STACK.md §8): the editor core, its features, the languages a project may hold
 * (Python, TypeScript's colours, and the static-file ones) and the editor worker only. TypeScript's
 * language service is monaco-typescript.ts, loaded for TypeScript files only. Loaded lazily by code-editor.tsx,
 * always through the literal import('./monaco-slim') (a computed specifier loses the chunk's CSS).
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/css/register';
import 'monaco-editor/languages/definitions/html/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/xml/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

export { monaco };
