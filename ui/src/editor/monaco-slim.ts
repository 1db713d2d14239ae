/**
 * Monaco's slim build (STACK.md §8), trimmed to what the editor uses: the editor core, the diff
 * editor (History), and only the contributions a person uses here: find/replace, folding, bracket
 * matching, comments, clipboard and the context menu, multi-cursor, line operations, indentation,
 * word-based suggestions, hovers and Go to Error for the validator's markers, Go to Line, the command
 * palette (F1) and its help, Ctrl+M (Tab moves focus), smart select, word navigation and highlights,
 * undo of cursor moves. Left out of register.all: code lenses, colour pickers, inlay hints, inline
 * completions, rename, references, sticky scroll, semantic tokens, links, GPU rendering and the like,
 * which need language services this editor does not have.
 *
 * Languages: Python, TypeScript's colours and the static-file ones, each registered as a small lazy tokenizer (its
 * `languages/definitions/<id>/register` module loads the grammar on first use). This is the place to
 * register another language lazily: `monaco.languages.register({ id })` here, and
 * `monaco.languages.onLanguage(id, () => import('./<id>-language'))` to load its tokenizer or worker
 * from a chunk of its own; lib/languages.ts maps file extensions to language ids.
 *
 * TypeScript's language service is monaco-typescript.ts, loaded for TypeScript and JavaScript files
 * only. Loaded lazily by code-editor.tsx, always through the literal import('./monaco-slim') (a computed
 * specifier loses the chunk's CSS).
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/diffEditor/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/suggest/register';
// features/suggest/register brings only inline suggestions: the suggest widget (completions, Ctrl+Space,
// `.` in TypeScript) is its controller's contribution, which must exist before an editor is made.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/quickHelp/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/tokenization/register';
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
