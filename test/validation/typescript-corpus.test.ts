/**
 * The TypeScript corpus: every syntax error the validator reports is where the Node runner itself fails,
 * compared live: each case is deployed to the real runner (esbuild in its module hooks, then V8), whose
 * start-failed line gives the file, line and column, and validated, and the two must agree. The cases
 * include what typescript-estree accepts but the runner's compiler or V8 refuses, which are findings too.
 */
import test from 'ava';
import { parseScript } from '../../validation/typescript/parse.js';
import { startRunner } from '../helpers/runner.js';
import { registerClose, validate } from '../helpers/validator.js';

registerClose(test);

/** [title, file name, content]; the entry imports the case for its side effects, so nothing elides it. */
const cases: [string, string, string][] = [
  ['a missing closing brace', 'case.ts', 'export function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n'],
  ['an unterminated string', 'case.ts', 'const greeting: string = "hello;\nexport default greeting;\n'],
  ['a missing expression', 'case.ts', 'const x: number = ;\n'],
  ['an extra parenthesis', 'case.ts', 'const x = (1 + 2));\n'],
  ['a missing parenthesis in an if', 'case.ts', 'const x = 1;\nif (x {\n  console.log(x);\n}\n'],
  ['an operator without its operand, in an arrow body', 'case.ts', 'const add = (a: number, b: number) => {\n  return a +;\n};\n'],
  ['a missing type', 'case.ts', 'let count: = 1;\n'],
  ['an interface member without a type', 'case.ts', 'interface User {\n  name: string\n  age:\n}\n'],
  ['a keyword as a variable name', 'case.ts', 'const class = "x";\n'],
  ['an unclosed template literal', 'case.ts', 'const name = "x";\nconst t = `hello ${name\n'],
  ['a bad unicode escape', 'case.ts', 'const s = "\\u{zz}";\n'],
  ['doubled numeric separators', 'case.ts', 'const big = 1__000;\n'],
  ['an enum member without a value', 'case.ts', 'enum Color { Red = , Green }\n'],
  ['a generic function missing a parenthesis', 'case.ts', 'function id<T,>(x: T {\n  return x;\n}\n'],
  ['non-ASCII text before the error (columns in characters, not bytes)', 'case.ts', 'const café = "crème";\nconst y = café +;\n'],
  ['JSX in a .ts file', 'case.ts', 'const a = <div>hi</div>;\n'],
  // typescript-estree accepts these; esbuild, the runner's compiler, does not.
  ['a duplicate let (the compiler refuses, the parser accepts)', 'case.ts', 'let a = 1;\nlet a = 2;\n'],
  ['await outside an async function (the compiler refuses)', 'case.ts', 'async function g() {}\nfunction f() {\n  await g();\n}\nf();\n'],
  ['break outside a loop (the compiler refuses)', 'case.ts', 'const x = 1;\nbreak;\n'],
  ['a duplicate label (the compiler refuses)', 'case.ts', 'a: a: for (;;) {}\n'],
  ['two default exports (the compiler refuses)', 'case.ts', 'export default 1;\nexport default 2;\n'],
  ['a with statement in a module (the compiler refuses)', 'case.ts', 'const o = { x: 1 };\nwith (o) {\n  console.log(x);\n}\n'],
  ['yield outside a generator (the compiler refuses)', 'case.ts', 'function f() {\n  yield 1;\n}\n'],
  ['a private name outside a class (the compiler refuses)', 'case.ts', 'const o: any = {};\no.#secret = 1;\n'],
  // esbuild lets these through; V8 refuses the module.
  ['an invalid regular expression (V8 refuses)', 'case.ts', 'type Slug = string;\n\nexport const slug = (s: string): Slug => s.replace(/(a|b/g, "-");\n'],
  ['assigning to arguments in strict code (V8 refuses)', 'case.ts', 'let n: number = 1;\nfunction g() {\n  arguments = n;\n}\n'],
  ['a .tsx file with an unclosed element', 'case.tsx', 'export const Page = () => (\n  <main>\n    <h1>Title</h1>\n);\n'],
  ['a plain .js module with an invalid regular expression (V8 refuses)', 'case.js', 'export const pattern = /[z-a]/;\n'],
  ['a plain .mjs module with a missing brace', 'case.mjs', 'export function f() {\n  return 1;\n'],
];

const entry = (file: string) => `import { Hono } from 'hono';\nimport './${file}';\n\nexport default new Hono();\n`;

test('the corpus has at least 20 TypeScript syntax cases, and the parser alone misses some that the runner refuses', (t) => {
  t.true(cases.filter(([, file]) => file.endsWith('.ts')).length >= 20);
  const parserMisses = cases.filter(([, file, source]) => !parseScript(file, source).error);
  t.true(parserMisses.length >= 8, `typescript-estree accepts ${parserMisses.length} of them`);
});

for (const [title, file, source] of cases) {
  test(`syntax: ${title}: the validator's line and column are the runner's`, async (t) => {
    const files = { 'app.ts': entry(file), [file]: source };
    const runner = await startRunner(t, { language: 'typescript', files, waitHealthy: false });
    const exit = await runner.exited;
    const failed = runner.events().find((e) => e.fp === 'start-failed');
    t.is(exit.code, 3, `the runner started:\n${runner.stderr()}`);
    t.like(failed, { file, phase: 'import' }, runner.stderr());
    const result = await validate(files, 'app.ts');
    t.false(result.valid);
    const syntax = result.findings.filter((f) => f.code === 'syntax-error');
    t.is(syntax.length, 1, JSON.stringify(result.findings));
    t.deepEqual({ file: syntax[0]?.file, line: syntax[0]?.line, column: syntax[0]?.column }, { file: failed?.file, line: failed?.line, column: failed?.column });
    t.is(syntax[0]?.message, String(failed?.message));
  });
}
