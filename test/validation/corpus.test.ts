/**
 * Corpus checks: every built-in template validates clean (with the right framework), and syntax errors
 * come out exactly as CPython 3.11 reports them, compared live with `python3.11 -c "compile(...)"` (the
 * bed's venv interpreter, the runner's version) through both engines: the CPython workers and
 * pyodide's CPython 3.11.3.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createValidator, sha1, startPyodide, type Validator } from '../../validation/node.js';
import { loadTemplates } from '../../templates/index.js';
import { venvPython } from '../helpers/bed.js';
import { bedValidator, registerClose } from '../helpers/validator.js';

const run = promisify(execFile);
registerClose(test);

let pyodide: Promise<Validator> | undefined;
const pyodideValidator = () => (pyodide ??= startPyodide().then((engine) => createValidator({ engine, hash: sha1 })));
test.after.always(async () => { if (pyodide) await (await pyodide).close(); });

/** What CPython 3.11 itself says about `source`, asked in a fresh process. */
async function cpython(source: string): Promise<{ message: string; line: number | null; column: number | null } | null> {
  const script = 'import json,sys\nsrc=sys.stdin.read()\ntry:\n    compile(src, "case.py", "exec", dont_inherit=True)\n    print("null")\nexcept SyntaxError as e:\n    print(json.dumps({"message": e.msg, "line": e.lineno, "column": e.offset}))';
  const child = execFile(venvPython(), ['-c', script]);
  child.stdin?.end(source);
  const out = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (c: Buffer) => { text += c.toString(); });
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`python exited ${code}`))));
  });
  return JSON.parse(out) as { message: string; line: number | null; column: number | null } | null;
}

const syntaxErrors: [string, string][] = [
  ['missing colon', 'def f()\n    return 1\n'],
  ['unclosed parenthesis', 'x = (1,\ny = 2\n'],
  ['unclosed bracket at end of file', 'items = [1, 2,\n'],
  ['unexpected indent', 'x = 1\n    y = 2\n'],
  ['unindent does not match', 'def f():\n        x = 1\n    y = 2\n'],
  ['expected an indented block', 'if True:\npass\n'],
  ['double equals in assignment', 'x = = 1\n'],
  ['Python 2 print', 'print "hello"\n'],
  ["'return' outside function (a compile-time error)", 'return 5\n'],
  ['assignment to a literal (a compile-time error)', '1 = x\n'],
  ["'await' outside async function", 'async def ok():\n    pass\ndef f():\n    await ok()\n'],
  ["'yield' outside function", 'yield 1\n'],
  ["'break' outside loop", 'break\n'],
  ["'continue' not in a loop", 'def f():\n    continue\n'],
  ['nonlocal at module level', 'nonlocal x\n'],
  ['duplicate argument', 'def f(a, a):\n    pass\n'],
  ['repeated keyword argument', 'f(a=1, a=2)\n'],
  ['positional argument after keyword', 'f(a=1, 2)\n'],
  ['cannot delete a function call', 'del f()\n'],
  ['unterminated string', 'x = "abc\n'],
  ['unterminated triple-quoted string', 'x = """abc\n\ny = 1\n'],
  ['invalid character', 'x = 1 $ 2\n'],
  ['inconsistent tabs and spaces', 'if True:\n\tx = 1\n        y = 2\n'],
  ['walrus as a statement', 'x := 1\n'],
  ['PEP 695 generics are 3.12, not 3.11', 'def first[T](items: list[T]) -> T:\n    return items[0]\n'],
  ['`type` aliases are 3.12, not 3.11', 'type Point = tuple[int, int]\n'],
  ['PEP 701 nested quotes in f-strings are 3.12, not 3.11', 'name = "x"\ngreeting = f"{"hi"} {name}"\n'],
  ['keyword as identifier', 'class = 3\n'],
];

const validModern: [string, string][] = [
  ['match statement', 'def f(p):\n    match p:\n        case {"x": x}:\n            return x\n        case _:\n            return None\n'],
  ['except*', 'try:\n    pass\nexcept* ValueError as group:\n    pass\n'],
  ['walrus in an expression', 'if (n := len([1])) > 0:\n    pass\n'],
  ['async comprehension', 'async def f(xs):\n    return [x async for x in xs]\n'],
  ['positional-only and keyword-only parameters', 'def f(a, /, b, *, c):\n    return a + b + c\n'],
];

test('every built-in template validates clean with its framework', async (t) => {
  const validator = await bedValidator();
  for (const template of await loadTemplates()) {
    const result = await validator.validate({ files: template.spec.files, entrypoint: template.spec.entrypoint });
    t.deepEqual(result.findings, [], template.metadata.name);
    t.is(result.framework, template.spec.framework, template.metadata.name);
  }
});

for (const [engineName, validatorOf] of [['CPython workers', bedValidator], ['pyodide 3.11.3', pyodideValidator]] as const) {
  test(`${engineName}: ${syntaxErrors.length} syntax errors match python3.11 -c "compile(...)", line, column and message`, async (t) => {
    t.true(syntaxErrors.length >= 20);
    const validator = await validatorOf();
    for (const [title, source] of syntaxErrors) {
      const expected = await cpython(source);
      t.truthy(expected, `CPython accepts "${title}"`);
      const result = await validator.validate({ files: { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n', 'case.py': source }, entrypoint: 'app.py' });
      const found = result.findings.find((f) => f.file === 'case.py');
      t.truthy(found, `${title}: no finding`);
      t.is(found?.message, expected?.message, title);
      t.is(found?.line, expected?.line ?? 1, title);
      t.is(found?.column, expected?.column ?? 1, title);
    }
  });

  test(`${engineName}: valid Python 3.11 syntax is accepted`, async (t) => {
    const validator = await validatorOf();
    for (const [title, source] of validModern) {
      t.is(await cpython(source), null, `CPython accepts ${title}`);
      const result = await validator.validate({ files: { 'app.py': `from fastapi import FastAPI\napp = FastAPI()\n${source}` }, entrypoint: 'app.py' });
      t.deepEqual(result.findings, [], title);
    }
  });
}

test('the CPython workers run the same interpreter version as the bed\'s runner venv', async (t) => {
  const { stdout } = await run(venvPython(), ['-c', 'import sys; print(sys.version.split()[0])']);
  t.is((await bedValidator()).engine.pythonVersion, stdout.trim());
});
