/**
 * The one owner of Monaco (STYLE.md §13): creates the editor once, keeps one model per project file
 * (so each file keeps its own undo history), pushes outside changes in as edits, reports the user's
 * edits through `onInput` (never its own programmatic ones), shows validation findings as markers,
 * binds Ctrl/Cmd+S and Ctrl/Cmd+Enter, and disposes everything on unmount. For TypeScript and JavaScript
 * files it loads TypeScript's language service (monaco-typescript.ts) and keeps a model for every script
 * of the project, so imports between files complete and check. `CodeDiff` is its read-only sibling for
 * history: Monaco's diff editor over two versions of one file.
 */
import type * as MonacoApi from 'monaco-editor/editor';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Finding } from '../http/client';
import { isScript, languageOf } from '../lib/languages';
import { resolvedTheme } from '../lib/theme';
import { PlainEditor } from './plain-editor';

type Monaco = typeof MonacoApi;
type Editor = ReturnType<Monaco['editor']['create']>;

export interface Props {
  readonly path: string;
  readonly value: string;
  /** Every file of the project (the models TypeScript's language service reads beside the open one). */
  readonly files?: Readonly<Record<string, string>>;
  readonly findings: readonly Finding[];
  /** A line to show and put the cursor on (a failure's line), with a nonce so the same line can be asked again. */
  readonly reveal: { readonly line: number; readonly nonce: number } | null;
  readonly onInput: (path: string, value: string) => void;
  readonly onSave: () => void;
  readonly onDeploy: () => void;
}

/**
 * vs-dark and vs with line numbers and comments strong enough for 4.5:1 contrast (axe flags the
 * defaults), and diff highlights light enough (dark) or pale enough (light) that every token colour
 * keeps 4.5:1 on them. The editor follows the page's theme (lib/theme.ts) as it changes.
 */
let themesDefined = false;
function defineTheme(monaco: Monaco): void {
  monaco.editor.defineTheme('fp-light', {
    // vs's number, type and red attribute colours fall under 4.5:1 on anything but white: darker ones here.
    base: 'vs', inherit: true, rules: [
      { token: 'comment', foreground: '3b6e2a' }, { token: 'number', foreground: '07704a' }, { token: 'type', foreground: '1a6577' },
      { token: 'attribute.name', foreground: 'a80000' }, { token: 'constant', foreground: 'a80000' }, { token: 'string.escape', foreground: '8a4f00' },
      { token: 'predefined', foreground: '5f2d91' }, { token: 'variable', foreground: '00106e' },
    ],
    colors: {
      'editorLineNumber.foreground': '#5f6670', 'editorLineNumber.dimmedForeground': '#5f6670', 'editorLineNumber.activeForeground': '#1f2328',
      'diffEditor.insertedLineBackground': '#f2fbf2', 'diffEditor.insertedTextBackground': '#e6f6e6',
      'diffEditor.removedLineBackground': '#fdf3f3', 'diffEditor.removedTextBackground': '#fae6e6',
      'diffEditorGutter.insertedLineBackground': '#f2fbf2', 'diffEditorGutter.removedLineBackground': '#fdf3f3',
    },
  });
  monaco.editor.defineTheme('fp-dark', {
    base: 'vs-dark', inherit: true, rules: [{ token: 'comment', foreground: '85b572' }],
    colors: {
      'editorLineNumber.foreground': '#a0a0a0', 'editorLineNumber.dimmedForeground': '#a0a0a0', 'editorLineNumber.activeForeground': '#e8e8e8',
      'diffEditor.insertedLineBackground': '#1a271a', 'diffEditor.insertedTextBackground': '#21341f',
      'diffEditor.removedLineBackground': '#2b1b1b', 'diffEditor.removedTextBackground': '#3a2020',
      'diffEditorGutter.insertedLineBackground': '#1a271a', 'diffEditorGutter.removedLineBackground': '#2b1b1b',
    },
  });
  if (!themesDefined) {
    themesDefined = true;
    resolvedTheme.subscribe((theme) => monaco.editor.setTheme(theme === 'light' ? 'fp-light' : 'fp-dark'));
  }
}

/** The code's font, the same in Monaco and in the plain view (styles.css .plain-editor), so the swap does not move text. */
const codeFont = { fontFamily: '"DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace', fontSize: 14, lineHeight: 19 };

const currentTheme = () => (resolvedTheme.value === 'light' ? 'fp-light' : 'fp-dark');

/**
 * Monaco (about 4 MB to evaluate) is started once the file's code shows in the plain view, never
 * before: evaluating it while the app's data arrives would hold the first paint back. The apps list and
 * the new-app page start it ahead, while the person is there (lib/prefetch.ts).
 */
let monacoLoading: Promise<{ monaco: Monaco }> | null = null;
let monacoLoaded: Monaco | null = null;
export const loadMonaco = () => (monacoLoading ??= import('./monaco-slim').then((m) => { monacoLoaded = m.monaco; return m; }));

/**
 * Monaco takes the plain view's place within the same task, so no keystroke can fall between them: its
 * model already holds what was typed (it went through onInput), and it gets the cursor, the selection,
 * the scroll position and the focus.
 */
function takeOver(editor: Editor, area: HTMLTextAreaElement | null): void {
  const model = editor.getModel();
  if (!area || !model) return;
  const start = model.getPositionAt(area.selectionStart);
  const end = model.getPositionAt(area.selectionEnd);
  const backwards = area.selectionDirection === 'backward';
  editor.setSelection({
    selectionStartLineNumber: backwards ? end.lineNumber : start.lineNumber, selectionStartColumn: backwards ? end.column : start.column,
    positionLineNumber: backwards ? start.lineNumber : end.lineNumber, positionColumn: backwards ? start.column : end.column,
  });
  editor.setScrollTop(area.scrollTop);
  editor.setScrollLeft(area.scrollLeft);
  if (document.activeElement === area) editor.focus();
}

/**
 * TypeScript's language service: only once a script is open (Python apps never load it), downloaded
 * beside Monaco's core. Monaco starts a language's service only for models made after it exists, so
 * scripts are edited as plain text until it is there, then switched to their language (same model, same
 * undo history): typing never waits for it.
 */
let typescriptLoading: Promise<unknown> | null = null;
let typescriptLoaded = false;
const loadTypeScript = () => (typescriptLoading ??= import('./monaco-typescript').then(() => { typescriptLoaded = true; }));
const languageFor = (path: string) => (isScript(path) && !typescriptLoaded ? 'plaintext' : languageOf(path));

const severity = (monaco: Monaco, finding: Finding) =>
  finding.severity === 'error' ? monaco.MarkerSeverity.Error : finding.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;

export function CodeEditor(props: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plain = useRef<HTMLTextAreaElement>(null);
  const state = useRef<{ monaco: Monaco; editor: Editor; applying: boolean } | null>(null);
  const [ready, setReady] = useState(false);
  const latest = useRef(props);
  latest.current = props;

  const modelFor = (monaco: Monaco, path: string, value: string) => {
    // Uri.from keeps the path as it is: parsing `file:///a#b.py` would read `#b.py` as a fragment.
    const uri = monaco.Uri.from({ scheme: 'file', path: `/${path}` });
    return monaco.editor.getModel(uri) ?? monaco.editor.createModel(value, languageFor(path), uri);
  };

  // A script is open: TypeScript's language service (then every script model gets its language back),
  // and a model for each script of the project.
  const [typescript, setTypeScript] = useState(false);
  useEffect(() => {
    if (!isScript(props.path) || typescript || !ready) return;
    let gone = false;
    // Once the editor is up and the browser idle: its ~2 MB must not hold up the first keystroke.
    const idle = new Promise<void>((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 500 }) : setTimeout(resolve, 50)));
    void idle.then(() => Promise.all([loadTypeScript(), loadMonaco()])).then(([, { monaco }]) => {
      if (gone) return;
      for (const model of monaco.editor.getModels()) {
        const path = model.uri.path.slice(1);
        if (model.uri.scheme === 'file' && isScript(path) && model.getLanguageId() !== languageOf(path)) monaco.editor.setModelLanguage(model, languageOf(path));
      }
      setTypeScript(true);
    });
    return () => { gone = true; };
  }, [props.path, ready]);

  useEffect(() => {
    let disposed = false;
    const create = (monaco: Monaco) => {
      if (disposed || !host.current) return;
      const { path, value } = latest.current;
      defineTheme(monaco);
      const editor = monaco.editor.create(host.current, {
        model: modelFor(monaco, path, value), theme: currentTheme(), automaticLayout: true, ...codeFont, minimap: { enabled: false },
        scrollBeyondLastLine: false, tabSize: 4, insertSpaces: true, ariaLabel: `Code of ${path}`, fixedOverflowWidgets: true,
      });
      const current = { monaco, editor, applying: false };
      state.current = current;
      editor.onDidChangeModelContent(() => {
        const model = editor.getModel();
        if (!current.applying && model) latest.current.onInput(model.uri.path.slice(1), model.getValue());
      });
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => latest.current.onSave());
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onDeploy());
      takeOver(editor, plain.current);
      setReady(true);
    };
    let frame = 0;
    if (monacoLoaded) create(monacoLoaded);
    // After the plain view's first paint: two frames, then the load.
    else frame = requestAnimationFrame(() => { frame = requestAnimationFrame(() => void loadMonaco().then(({ monaco }) => create(monaco))); });
    return () => {
      cancelAnimationFrame(frame);
      disposed = true;
      const current = state.current;
      if (!current) return;
      current.editor.dispose();
      for (const model of current.monaco.editor.getModels()) if (model.uri.scheme === 'file') model.dispose();
      state.current = null;
    };
  }, []);

  // The active file, and outside changes to it (a reload, a rollback), pushed in as edits.
  useEffect(() => {
    const current = state.current;
    if (!current) return;
    const { monaco, editor } = current;
    const model = modelFor(monaco, props.path, props.value);
    if (editor.getModel() !== model) {
      editor.setModel(model);
      editor.updateOptions({ ariaLabel: `Code of ${props.path}` });
    }
    if (model.getValue() !== props.value) {
      current.applying = true;
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: props.value }], () => null);
      current.applying = false;
    }
  }, [props.path, props.value, ready]);

  useEffect(() => {
    const current = state.current;
    if (!current || !typescript) return;
    const files = props.files ?? {};
    for (const [path, value] of Object.entries(files)) {
      if (!isScript(path) || path === props.path) continue;
      const model = modelFor(current.monaco, path, value);
      if (model.getValue() !== value) model.setValue(value);
    }
    for (const model of current.monaco.editor.getModels()) {
      const path = model.uri.path.slice(1);
      if (model.uri.scheme === 'file' && !(path in files) && path !== props.path) model.dispose();
    }
  }, [props.files, props.path, typescript, ready]);

  useEffect(() => {
    const current = state.current;
    if (!current) return;
    const { monaco, editor } = current;
    const model = editor.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, 'validation', props.findings.filter((f) => f.file === props.path).map((f) => ({
      startLineNumber: f.line, startColumn: Math.max(1, f.column), endLineNumber: Math.max(f.line, f.endLine),
      endColumn: Math.max(f.column + 1, f.endColumn), message: f.message, severity: severity(monaco, f), code: f.code,
    })));
  }, [props.findings, props.path, ready]);

  useEffect(() => {
    const current = state.current;
    if (!current || !props.reveal) return;
    current.editor.revealLineInCenter(props.reveal.line);
    current.editor.setPosition({ lineNumber: props.reveal.line, column: 1 });
    current.editor.focus();
  }, [props.reveal, ready]);

  return (
    <>
      <div ref={host} class="code-editor" data-testid="code-editor" />
      {!ready && <PlainEditor path={props.path} value={props.value} onInput={props.onInput} inputRef={plain} />}
    </>
  );
}

export interface DiffProps {
  readonly path: string;
  /** The older text; empty for a file the newer side added. */
  readonly original: string;
  /** The newer text; empty for a file the newer side removed. */
  readonly modified: string;
  /** What each side is, for screen readers: "lib/util.py in version 2". */
  readonly labels: { readonly original: string; readonly modified: string };
}

/**
 * Read-only; its models live under their own URI scheme, so they never collide with the editor's files.
 * The view model of each pair is created and disposed here: one handed to setModel() as a bare pair is
 * never disposed by Monaco (0.57 keeps a reference), and a leaked one recomputes its diff when the
 * layout changes, after its models are gone, which throws "no diff result available". Disposing the
 * view model cancels its computation first; then its models can go.
 */
export function CodeDiff({ path, original, modified, labels }: DiffProps) {
  const host = useRef<HTMLDivElement>(null);
  type Diff = ReturnType<Monaco['editor']['createDiffEditor']>;
  type View = ReturnType<Diff['createViewModel']>;
  const state = useRef<{ monaco: Monaco; diff: Diff; view: View | null } | null>(null);
  const [ready, setReady] = useState(false);

  const release = (view: View | null) => {
    if (!view) return;
    view.dispose();
    view.model.original.dispose();
    view.model.modified.dispose();
  };

  useEffect(() => {
    let disposed = false;
    // A script's models need TypeScript's service to exist first, here as in the editor (see CodeEditor).
    void (isScript(path) ? loadTypeScript() : Promise.resolve()).then(loadMonaco).then(({ monaco }) => {
      if (disposed || !host.current) return;
      defineTheme(monaco);
      const diff = monaco.editor.createDiffEditor(host.current, {
        theme: currentTheme(), automaticLayout: true, readOnly: true, originalEditable: false, fontSize: 14, minimap: { enabled: false },
        scrollBeyondLastLine: false, renderOverviewRuler: false, useInlineViewWhenSpaceIsLimited: true,
        originalAriaLabel: labels.original, modifiedAriaLabel: labels.modified,
      });
      state.current = { monaco, diff, view: null };
      setReady(true);
    });
    return () => {
      disposed = true;
      const current = state.current;
      if (!current) return;
      current.diff.setModel(null);
      current.diff.dispose();
      release(current.view);
      state.current = null;
    };
  }, []);

  useEffect(() => {
    const current = state.current;
    if (!current) return;
    const { monaco, diff } = current;
    const previous = current.view;
    const nonce = Math.random().toString(36).slice(2);
    const model = (side: string, text: string) => monaco.editor.createModel(text, languageOf(path), monaco.Uri.from({ scheme: 'diff', path: `/${nonce}/${side}/${path}` }));
    current.view = diff.createViewModel({ original: model('original', original), modified: model('modified', modified) });
    diff.setModel(current.view);
    diff.getOriginalEditor().updateOptions({ ariaLabel: labels.original });
    diff.getModifiedEditor().updateOptions({ ariaLabel: labels.modified });
    release(previous);
  }, [path, original, modified, labels.original, labels.modified, ready]);

  return <div ref={host} class="code-diff" data-testid="code-diff" />;
}
