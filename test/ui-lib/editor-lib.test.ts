/**
 * The pure parts behind the editor's fixes: what serves and what failed, the file tree, the HTTP
 * explorer's reading of an OpenAPI document, log lines, tags said before saving, sizes, and the rate
 * limit's wait in words.
 */
import test from 'ava';
import { waitInWords } from '../../api/services/rate-limit.js';
import { appState } from '../../ui/src/lib/app-state.js';
import { bytes } from '../../ui/src/lib/bytes.js';
import { ancestors, fileTree } from '../../ui/src/lib/file-tree.js';
import { clockTime, highlight, logFile, searchLines } from '../../ui/src/lib/log-lines.js';
import { buildPath, contentTypeFor, operationsOf, skeleton } from '../../ui/src/lib/openapi.js';
import { tagsNote } from '../../ui/src/templates/template-form.js';

test('a failed rollout reads as what serves and what failed, never as the failed version running', (t) => {
  const failed = appState({ phase: 'failed', version: 3, servingVersion: 2 });
  t.is(failed.serving, 2);
  t.is(failed.failed, 3);
  t.deepEqual(failed.parts.map((p) => p.text), ['Serving v2', 'v3 failed']);
  t.is(failed.sentence, 'Version 3 failed to start; version 2 still serves.');
  const never = appState({ phase: 'failed', version: 1, servingVersion: null });
  t.is(never.serving, null);
  t.is(never.sentence, 'Version 1 failed to start; nothing serves.');
  t.deepEqual(appState({ phase: 'running', version: 4, servingVersion: 4 }).parts, [{ tone: 'running', text: 'Running · v4' }]);
  t.deepEqual(appState({ phase: 'deploying', version: 5, servingVersion: 4 }).parts.map((p) => p.text), ['Serving v4', 'Deploying v5']);
  t.is(appState({ phase: 'draft', version: null, servingVersion: null }).serving, null);
});

test('paths become a tree: folders first, the entry point on top, names without their folders', (t) => {
  const tree = fileTree(['lib/b.py', 'app.py', 'lib/sub/c.py', 'README.md', 'lib/a.py', 'static/x.css'], 'app.py');
  t.deepEqual(tree.map((n) => `${n.kind}:${n.name}`), ['file:app.py', 'folder:lib', 'folder:static', 'file:README.md']);
  const lib = tree[1];
  t.deepEqual(lib?.kind === 'folder' ? lib.children.map((n) => `${n.kind}:${n.path}`) : [], ['folder:lib/sub', 'file:lib/a.py', 'file:lib/b.py']);
  t.deepEqual(ancestors('a/b/c.py'), ['a', 'a/b']);
  t.deepEqual(ancestors('app.py'), []);
});

const doc = {
  openapi: '3.1.0',
  paths: {
    '/items/{shelf}': {
      parameters: [{ name: 'shelf', in: 'path', required: true, schema: { type: 'integer' } }],
      post: {
        summary: 'Add',
        parameters: [{ name: 'note', in: 'query', required: false, schema: { anyOf: [{ type: 'string' }, { type: 'null' }] } }],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
      },
    },
    '/items': { get: { operationId: 'list_items' } },
  },
  components: {
    schemas: {
      Item: { type: 'object', properties: { name: { type: 'string' }, price: { type: 'number', example: 1.5 }, tags: { type: 'array', items: { type: 'string' } }, owner: { $ref: '#/components/schemas/Owner' }, kind: { enum: ['pen', 'cup'] } } },
      Owner: { allOf: [{ type: 'object', properties: { id: { type: 'integer' } } }, { type: 'object', properties: { parent: { $ref: '#/components/schemas/Owner' } } }] },
    },
  },
};

test('operations come from the document: path-level and own parameters, a JSON body skeleton through $ref, allOf, anyOf and enums', (t) => {
  const ops = operationsOf(doc);
  t.deepEqual(ops.map((o) => o.key), ['post /items/{shelf}', 'get /items']);
  const post = ops[0];
  t.deepEqual(post?.parameters.map((p) => `${p.in}:${p.name}:${p.required}`), ['path:shelf:true', 'query:note:false']);
  t.deepEqual(JSON.parse(post?.body ?? 'null'), { name: 'string', price: 1.5, tags: ['string'], owner: { id: 0, parent: null }, kind: 'pen' });
  t.is(ops[1]?.summary, 'list_items');
  t.is(ops[1]?.body, null);
  t.deepEqual(operationsOf({ nothing: true }), []);
  t.deepEqual(operationsOf('not json'), []);
  t.is(skeleton(doc, { type: 'string', format: 'date' }), '1970-01-01');
});

test('a request path from the template and parameters; a Content-Type from the body', (t) => {
  t.is(buildPath('/items/{shelf}', { shelf: '7' }, { note: 'a b', empty: '' }), '/items/7?note=a+b');
  t.is(buildPath('/items/{shelf}', { shelf: 'a/b' }, {}), '/items/a%2Fb');
  t.is(buildPath('/items/{shelf}', {}, {}), '/items/{shelf}');
  t.is(contentTypeFor('{"a": 1}'), 'application/json');
  t.is(contentTypeFor('[1, 2]'), 'application/json');
  t.is(contentTypeFor('name=x'), 'text/plain; charset=utf-8');
});

test('log lines: a clock time, searches by every word, highlights, and a file with full times', (t) => {
  const lines = [
    { cursor: '1.1', at: '2026-12-03T10:04:05.067Z', stream: 'stdout' as const, text: 'apple pie', version: 1 },
    { cursor: '1.2', at: '2026-12-03T10:04:06.000Z', stream: 'stderr' as const, text: 'Banana split', version: null },
  ];
  t.regex(clockTime(lines[0]?.at ?? ''), /^\d\d:04:05\.067$/);
  t.deepEqual(searchLines(lines, 'SPLIT banana').map((l) => l.cursor), ['1.2']);
  t.deepEqual(searchLines(lines, '  ').length, 2);
  t.deepEqual(highlight('Banana split', 'banana'), ['', 'Banana', ' split']);
  t.is(logFile(lines), '2026-12-03T10:04:05.067Z stdout v1 apple pie\n2026-12-03T10:04:06.000Z stderr Banana split\n');
  t.is(logFile([]), '');
});

test('tags that saving would change are said; kept ones are not', (t) => {
  t.is(tagsNote('api, beginner'), null);
  t.is(tagsNote('Bad Tag, api'), 'Saved as: bad-tag, api (tags are lower-case, with dashes for spaces, each once).');
  t.regex(tagsNote('api, api') ?? '', /Saved as: api \(/);
});

test('sizes and waits read as people say them', (t) => {
  t.is(bytes(null), 'size unknown');
  t.is(bytes(812), '812 B');
  t.is(bytes(4300), '4.2 KB');
  t.is(bytes(13 * 1024 * 1024), '13 MB');
  t.is(waitInWords(900), '15 minutes');
  t.is(waitInWords(45), '45 seconds');
  t.is(waitInWords(1), '1 second');
  t.is(waitInWords(61), '61 seconds');
  t.is(waitInWords(120), '2 minutes');
  t.is(waitInWords(5400), '1 hour 30 minutes');
  t.is(waitInWords(7200), '2 hours');
});
