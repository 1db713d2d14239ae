/**
 * The UI's pure helpers: file-name rules (as the platform's validator has them), the test panel's
 * header parsing, relative times, and turning API failures into sentences and field problems.
 */
import test from 'ava';
import { fileNameProblem } from '../../ui/src/lib/file-names.js';
import { formErrors } from '../../ui/src/lib/form-errors.js';
import { timeAgo } from '../../ui/src/lib/format.js';
import { formatBody, parseHeaders } from '../../ui/src/lib/headers.js';
import { languageOf } from '../../ui/src/lib/languages.js';
import { toApiError } from '../../contract/index.js';
import { pathProblem } from '../../validation/index.js';

test('file names: folders, allowed extensions and unique names are accepted', (t) => {
  t.is(fileNameProblem('static/site.css', ['app.py']), null);
  t.is(fileNameProblem('pkg/__init__.py', ['app.py']), null);
});

test('fails when a file name escapes, hides, lacks an allowed extension or repeats another by case', (t) => {
  t.regex(fileNameProblem('../x.py', []) ?? '', /"\.\."/);
  t.regex(fileNameProblem('/abs.py', []) ?? '', /absolute path/);
  t.regex(fileNameProblem('.env', []) ?? '', /hidden/);
  t.regex(fileNameProblem('run.sh', []) ?? '', /extensions: \.py/);
  t.regex(fileNameProblem('App.py', ['app.py']) ?? '', /already a file named App\.py/);
  t.regex(fileNameProblem('a\u0007.py', []) ?? '', /control character/);
  t.regex(fileNameProblem('  ', []) ?? '', /Give the file a name/);
  t.regex(fileNameProblem('what?.py', []) ?? '', /contains one of/);
  t.regex(fileNameProblem(`${'a/'.repeat(100)}x.py`, []) ?? '', /keep it under 200/);
});

test('fails when a file name has a C1 control character: the editor refuses what the platform refuses', (t) => {
  // The UI's own copy of the rules once accepted U+0080–U+009F; it now asks the validator itself.
  for (const name of ['a\u0085.py', 'b\u009b.py']) {
    t.not(fileNameProblem(name, []), null, JSON.stringify(name));
    t.is(fileNameProblem(name, []), pathProblem(name)?.message ?? null);
  }
});

test('headers parse one per line; a malformed line is named', (t) => {
  t.deepEqual(parseHeaders('Content-Type: application/json\n\nX-Key:  abc  '), { headers: { 'content-type': 'application/json', 'x-key': 'abc' }, problem: null });
  t.is(parseHeaders('just text').problem, 'Line 1 is not a header: write it as Name: value.');
  t.is(formatBody('{"a":1}', 'application/json'), '{\n  "a": 1\n}');
  t.is(formatBody('{oops', 'application/json'), '{oops');
});

test('relative times and languages by extension', (t) => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  t.is(timeAgo('2026-01-01T11:59:40Z', now), 'just now');
  t.is(timeAgo('2026-01-01T11:30:00Z', now), '30 min ago');
  t.is(timeAgo('2025-12-31T12:00:00Z', now), 'yesterday');
  t.is(languageOf('static/icon.svg'), 'xml');
  t.is(languageOf('app.py'), 'python');
});

test('API failures become sentences, with field problems placed on their fields', (t) => {
  const error = toApiError(400, { error: { code: 'invalid_input', message: 'Invalid body: password: at least 8 characters', details: { issues: [{ path: 'password', message: 'at least 8 characters' }] } } });
  t.is(error.message, 'Invalid body: password: at least 8 characters.');
  t.deepEqual(formErrors(error, ['username', 'password']), { summary: 'Please fix the fields marked below.', fields: { password: 'At least 8 characters.' } });
  t.is(toApiError(502, '<html>Bad gateway</html>').message, 'The platform answered 502 unexpectedly; try again in a moment.');
  t.is(toApiError(0, null).message, 'The platform could not be reached; check your connection and try again.');
  t.false(toApiError(409, { error: { code: 'conflict', message: { nested: true } } }).message.includes('[object Object]'));
});
