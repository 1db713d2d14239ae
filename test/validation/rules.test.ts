/**
 * Each rule of the validator, positive and negative, table-driven, on the real CPython 3.11 workers:
 * imports, blocked names (including the original's false positives, now accepted, and its verified
 * bypasses, now rejected), app and framework detection, limits and paths.
 */
import test from 'ava';
import { defaultRules, type Framework, type ValidationRules } from '../../validation/node.js';
import { brief, registerClose, validate } from '../helpers/validator.js';

registerClose(test);

const app = 'from fastapi import FastAPI\napp = FastAPI()\n';

/** [title, extra lines for app.py, expected findings on app.py as `line code`] */
const importCases: [string, string, string[]][] = [
  ['an allowed module', 'import json\nfrom datetime import datetime\n', []],
  ['a submodule of an allowed module', 'import urllib.parse\nfrom urllib.parse import quote\n', []],
  ['a star import from an allowed module', 'from typing import *\n', []],
  ['a module outside the allow-list', 'import requests\n', ['3 import-not-allowed']],
  ['importlib, the dynamic-import bypass', 'import importlib\nimportlib.import_module("os")\n', ['3 import-not-allowed']],
  ['builtins, the other road to __import__', 'import builtins\n', ['3 import-not-allowed']],
  ['subprocess', 'from subprocess import run\n', ['3 import-not-allowed']],
  ['an import inside a function is still checked', 'def f():\n    import socket\n', ['4 import-not-allowed']],
];
for (const [title, lines, expected] of importCases) {
  test(`imports: ${title}`, async (t) => {
    const result = await validate({ 'app.py': app + lines });
    t.deepEqual(brief(result).map((b) => b.replace('app.py:', '')), expected);
  });
}

test("imports: the project's own modules, packages, namespace packages and relative imports are local", async (t) => {
  const result = await validate({
    'app.py': `${app}import helpers\nfrom pkg import tools\nimport pkg.tools\nfrom nspkg.inner import thing\n`,
    'helpers.py': 'X = 1\n',
    'pkg/__init__.py': '',
    'pkg/tools.py': 'from . import helpers_inside\nfrom .. import nothing\n',
    'pkg/helpers_inside.py': '',
    'nspkg/inner.py': 'thing = 1\n',
  });
  t.deepEqual(brief(result), []);
  t.true(result.valid);
});

test('imports: dotted allow-list entries work in both import forms', async (t) => {
  const rules: ValidationRules = { ...defaultRules, allowedImports: [...defaultRules.allowedImports, 'google.auth'] };
  const ok = await validate({ 'app.py': `${app}import google.auth\nfrom google import auth\nfrom google.auth import jwt\n` }, 'app.py', rules);
  t.deepEqual(brief(ok), []);
  const mixed = await validate({ 'app.py': `${app}from google import auth, cloud\nimport google\n` }, 'app.py', rules);
  t.deepEqual(brief(mixed), ['app.py:3 import-not-allowed', 'app.py:4 import-not-allowed']);
});

test("imports: an admin's allow-list replaces the defaults", async (t) => {
  const rules: ValidationRules = { ...defaultRules, allowedImports: ['fastapi'] };
  const result = await validate({ 'app.py': `${app}import json\n` }, 'app.py', rules);
  t.deepEqual(brief(result), ['app.py:3 import-not-allowed']);
});

test('imports: the message names the module and says what to do instead', async (t) => {
  const result = await validate({ 'app.py': `${app}import requests\nimport pandas\n` });
  t.regex(result.findings[0]?.message ?? '', /requests is not allowed\. Use httpx/);
  t.regex(result.findings[1]?.message ?? '', /pandas is not allowed\. Data-science libraries are not in the runner image/);
});

/** [title, code appended to app.py, expected `line code` findings] */
const blockedCases: [string, string, string[]][] = [
  // The original's false positives: accepted now.
  ['re.compile is fine', 'import re\nPATTERN = re.compile(r"^a+$")\n', []],
  ['a method named eval is fine', 'class Model:\n    def eval(self):\n        return self\nModel().eval()\n', []],
  ['eval( inside a string or comment is fine', 'HTML = "<button onclick=\'window.open(1); eval(2)\'>"  # eval(x) exec(y)\n', []],
  ['a user function named exec shadows the builtin', 'def exec(job):\n    return job\nexec(1)\n', []],
  ['open() and urlopen are left to the pod boundary', 'from urllib.request import urlopen\nopen("/tmp/x", "w")\n', []],
  ['os.environ is fine', 'import os\nTOKEN = os.environ.get("TOKEN")\n', []],
  // Blocked names.
  ['eval', 'eval("1+1")\n', ['3 blocked-name']],
  ['exec', 'exec("x = 1")\n', ['3 blocked-name']],
  ['the builtin compile', 'code = compile("1", "<s>", "eval")\n', ['3 blocked-name']],
  ['input', 'name = input()\n', ['3 blocked-name']],
  ['breakpoint', 'breakpoint()\n', ['3 blocked-name']],
  ['os.system', 'import os\nos.system("ls")\n', ['4 blocked-name']],
  ['os.popen through an alias', 'import os as o\no.popen("ls")\n', ['4 blocked-name']],
  // The original's verified bypasses: rejected now.
  ['getattr(__builtins__, "ev"+"al")', 'f = getattr(__builtins__, "ev" + "al")\n', ['3 blocked-name']],
  ['sys.modules[...]', 'import sys\nsys.modules["os"].system("ls")\n', ['4 blocked-name']],
  ['os.execv', 'import os\nos.execv("/bin/sh", ["sh"])\n', ['4 blocked-name']],
  ['os.spawnv through a from-import alias', 'from os import spawnv as go\ngo(0, "/bin/sh", [])\n', ['4 blocked-name']],
  ['__import__ through an alias', 'load = __import__\nload("os")\n', ['3 blocked-name']],
  ['the __subclasses__ escape', 'x = ().__class__.__bases__[0].__subclasses__()\n', ['3 blocked-name']],
  ['a function\'s __globals__', 'def f():\n    pass\ng = f.__globals__\n', ['5 blocked-name']],
  // asyncio's subprocess functions are subprocess by another name.
  ['asyncio.create_subprocess_exec', 'import asyncio\nasync def run():\n    await asyncio.create_subprocess_exec("ls")\n', ['5 blocked-name']],
  ['asyncio.create_subprocess_shell through an alias', 'import asyncio as aio\nasync def run():\n    await aio.create_subprocess_shell("ls")\n', ['5 blocked-name']],
  ['create_subprocess_exec from asyncio.subprocess', 'from asyncio.subprocess import create_subprocess_exec as go\nasync def run():\n    await go("ls")\n', ['5 blocked-name']],
  ['an event loop\'s subprocess_shell', 'import asyncio\nasync def run():\n    loop = asyncio.get_running_loop()\n    await loop.subprocess_shell(asyncio.SubprocessProtocol, "ls")\n', ['6 blocked-name']],
  ['asyncio.sleep and gather are fine', 'import asyncio\nasync def run():\n    await asyncio.gather(asyncio.sleep(0))\n', []],
];
for (const [title, code, expected] of blockedCases) {
  test(`blocked names: ${title}`, async (t) => {
    const result = await validate({ 'app.py': app + code });
    t.deepEqual(brief(result).map((b) => b.replace('app.py:', '')), expected, JSON.stringify(result.findings));
  });
}

test('blocked names: the finding spans the offending expression and says why', async (t) => {
  const result = await validate({ 'app.py': `${app}import os\nresult = os.system("ls")\n` });
  t.like(result.findings[0], { line: 4, column: 10, endLine: 4, endColumn: 19, severity: 'error', code: 'blocked-name' });
  t.regex(result.findings[0]?.message ?? '', /`os\.system` starts or replaces processes/);
});

/** [title, app.py, framework, expected findings] */
const appCases: [string, string, Framework | null, string[]][] = [
  ['plain', 'from fastapi import FastAPI\napp = FastAPI()\n', 'fastapi', []],
  ['annotated', 'from fastapi import FastAPI\napp: FastAPI = FastAPI(title="x")\n', 'fastapi', []],
  ['attribute call', 'import fastapi\napp = fastapi.FastAPI()\n', 'fastapi', []],
  ['aliased', 'from fastapi import FastAPI as API\napp = API()\n', 'fastapi', []],
  ['fast_app() tuple', 'from fasthtml.common import *\napp, rt = fast_app()\n', 'fasthtml', []],
  ['FastHTML()', 'from fasthtml.common import FastHTML\napp = FastHTML()\n', 'fasthtml', []],
  ['Starlette', 'from starlette.applications import Starlette\napp = Starlette()\n', 'starlette', []],
  ['inside try/if at module level', 'try:\n    from fastapi import FastAPI\nexcept ImportError:\n    raise\nif True:\n    app = FastAPI()\n', 'fastapi', []],
  ['a create_app() factory', 'from fastapi import FastAPI\n\ndef create_app():\n    return FastAPI()\n', 'fastapi', []],
  ['re-exported from a local module', 'from main import app\n', 'fastapi', []],
  ['missing, with a rename suggestion', 'from fastapi import FastAPI\napi = FastAPI()\n', 'fastapi', ['app.py:2 app-missing']],
  ['missing entirely (the framework still comes from the project\'s imports)', 'import json\n', 'fastapi', ['app.py:1 app-missing']],
  ['only inside a class does not count', 'from fastapi import FastAPI\nclass Holder:\n    app = FastAPI()\n', 'fastapi', ['app.py:1 app-missing']],
  ['only inside a function does not count', 'from fastapi import FastAPI\ndef make():\n    app = FastAPI()\n', 'fastapi', ['app.py:1 app-missing']],
];
for (const [title, entry, framework, expected] of appCases) {
  test(`app detection: ${title}`, async (t) => {
    const result = await validate({ 'app.py': entry, 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' });
    t.deepEqual(brief(result), expected);
    t.is(result.framework, framework);
  });
}

test('app detection: the missing-app message names the object to rename', async (t) => {
  const result = await validate({ 'app.py': 'from fastapi import FastAPI\n\n\nweb_app = FastAPI()\n' });
  t.like(result.findings[0], { line: 4, code: 'app-missing' });
  t.regex(result.findings[0]?.message ?? '', /rename `web_app` to `app`/);
});

const limit = defaultRules.limits;
/** [title, files, entrypoint, expected findings] */
const projectCases: [string, Record<string, string>, string, string[]][] = [
  ['an empty __init__.py is fine', { 'app.py': app, 'pkg/__init__.py': '' }, 'app.py', []],
  ['static files in folders are fine', { 'app.py': app, 'static/css/site.css': 'a{}', 'templates/index.html': '<p>', 'README.md': '# hi' }, 'app.py', []],
  ['an empty project', {}, 'app.py', ['app.py:1 project-empty']],
  ['a missing entrypoint', { 'main.py': app }, 'app.py', ['app.py:1 entrypoint-missing']],
  ['a non-Python entrypoint', { 'app.txt': 'x', 'main.py': app }, 'app.txt', ['app.txt:1 entrypoint-not-python']],
  ['a path climbing out', { 'app.py': app, '../etc/passwd.txt': 'x' }, 'app.py', ['../etc/passwd.txt:1 path-invalid']],
  ['an absolute path', { 'app.py': app, '/abs.py': '' }, 'app.py', ['/abs.py:1 path-invalid']],
  ['a hidden file', { 'app.py': app, 'static/.secret.txt': 'x' }, 'app.py', ['static/.secret.txt:1 path-hidden']],
  ['a control character', { 'app.py': app, 'bad\u0007name.py': '' }, 'app.py', ['bad\u0007name.py:1 path-invalid']],
  ['a C1 control character', { 'app.py': app, 'bad\u0085name.py': '' }, 'app.py', ['bad\u0085name.py:1 path-invalid']],
  ['a right-to-left override (reads as "apptxt.py")', { 'app.py': app, 'app\u202eyp.txt': '' }, 'app.py', ['app\u202eyp.txt:1 path-invalid']],
  ['a zero-width space', { 'app.py': app, 'ut\u200bils.py': '' }, 'app.py', ['ut\u200bils.py:1 path-invalid']],
  ['a byte-order mark inside a name', { 'app.py': app, 'static/\ufeffsite.css': '' }, 'app.py', ['static/\ufeffsite.css:1 path-invalid']],
  ['a backslash', { 'app.py': app, 'dir\\file.py': '' }, 'app.py', ['dir\\file.py:1 path-invalid']],
  ['names differing only by case', { 'app.py': app, 'Utils.py': '', 'utils.py': '' }, 'app.py', ['utils.py:1 path-duplicate']],
  ['a disallowed extension', { 'app.py': app, 'tool.sh': 'rm -rf /' }, 'app.py', ['tool.sh:1 extension-not-allowed']],
  ['a file over the size limit', { 'app.py': app, 'big.py': `x = "${'a'.repeat(limit.maxFileBytes)}"\n` }, 'app.py', ['big.py:1 file-too-large']],
  ['too many files', Object.fromEntries([['app.py', app], ...Array.from({ length: limit.maxFiles }, (_, i) => [`m${i}.py`, ''])]), 'app.py', ['app.py:1 too-many-files']],
  ['too much in total', Object.fromEntries([['app.py', app], ...Array.from({ length: 6 }, (_, i) => [`m${i}.txt`, 'x'.repeat(90 * 1024)])]), 'app.py', ['app.py:1 project-too-large']],
];
for (const [title, files, entrypoint, expected] of projectCases) {
  test(`project: ${title}`, async (t) => {
    t.deepEqual(brief(await validate(files, entrypoint)), expected);
  });
}

test('every finding is reported, not only the first, each with the full shape', async (t) => {
  const result = await validate({
    'app.py': 'from fastapi import FastAPI\nimport requests\napi = FastAPI()\neval("1")\n',
    'broken.py': 'def f(:\n    pass\n',
    'deploy.sh': 'x',
  });
  t.deepEqual(brief(result), ['app.py:2 import-not-allowed', 'app.py:3 app-missing', 'app.py:4 blocked-name', 'broken.py:1 syntax-error', 'deploy.sh:1 extension-not-allowed']);
  t.false(result.valid);
  for (const f of result.findings) {
    t.deepEqual(Object.keys(f).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    t.true(f.line >= 1 && f.column >= 1 && (f.endLine > f.line || f.endColumn > f.column));
  }
});
