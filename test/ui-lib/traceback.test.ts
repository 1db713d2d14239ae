/** The dashboard's reading of Python tracebacks: the app's frames, folded framework frames, and the text around them. */
import test from 'ava';
import { isProjectFile, tracebackParts } from '../../ui/src/lib/traceback.js';

// As the runner prints it: project files relative, everything else absolute, one exception chained to another.
const chained = [
  'Traceback (most recent call last):',
  '  File "lib/db.py", line 3, in connect',
  '    return 1 / 0',
  '           ~~^~~',
  'ZeroDivisionError: division by zero',
  '',
  'The above exception was the direct cause of the following exception:',
  '',
  'Traceback (most recent call last):',
  '  File "/srv/runner/_platform_runner/asgi.py", line 156, in _request',
  '    await self.proxied(scope, receive, tracked_send)',
  '  File "/venv/lib/python3.11/site-packages/starlette/routing.py", line 74, in app',
  '    response = await f(request)',
  '  File "<frozen importlib._bootstrap>", line 1176, in _find_and_load',
  '  File "app.py", line 15, in boom',
  '    raise RuntimeError("no database") from error',
  'RuntimeError: no database',
  '',
].join('\n');

test('project frames stand alone with their code; consecutive other frames fold into one part', (t) => {
  const parts = tracebackParts(chained);
  t.deepEqual(parts.map((p) => p.kind), ['text', 'project', 'text', 'framework', 'project', 'text']);
  t.deepEqual(parts[1], { kind: 'project', frame: { file: 'lib/db.py', line: 3, name: 'connect', code: ['    return 1 / 0', '           ~~^~~'] } });
  const folded = parts[3];
  t.is(folded?.kind === 'framework' ? folded.frames.map((f) => f.file).join(' ') : '', '/srv/runner/_platform_runner/asgi.py /venv/lib/python3.11/site-packages/starlette/routing.py <frozen importlib._bootstrap>');
  t.like(parts[4], { kind: 'project', frame: { file: 'app.py', line: 15, name: 'boom' } });
  t.is(parts[5]?.kind === 'text' ? parts[5].text : '', 'RuntimeError: no database');
  t.regex(parts[2]?.kind === 'text' ? parts[2].text : '', /^ZeroDivisionError: division by zero\n\nThe above exception was the direct cause/);
});

test('fails to call a file the project\'s when it is absolute, a frozen module or <string>', (t) => {
  t.true(isProjectFile('app.py'));
  t.true(isProjectFile('pkg/sub/mod.py'));
  t.false(isProjectFile('/code/app.py'));
  t.false(isProjectFile('<frozen runpy>'));
  t.false(isProjectFile('<string>'));
});

test('text that is not a traceback stays one text part, unchanged', (t) => {
  t.deepEqual(tracebackParts('ValueError: nope'), [{ kind: 'text', text: 'ValueError: nope' }]);
  t.deepEqual(tracebackParts('line one\n    indented, but no frame above it'), [{ kind: 'text', text: 'line one\n    indented, but no frame above it' }]);
});

// As the Node runner records a request's exception: Node's stack, source-mapped, the project's files relative.
const nodeStack = [
  'RangeError: division by zero',
  '    at divide (math.ts:3:11)',
  '    at Array.<anonymous> (app.ts:6:50)',
  '    at #dispatch (file:///opt/runner-node/node_modules/hono/dist/hono-base.js:275:34)',
  '    at Hono.fetch (file:///opt/runner-node/node_modules/hono/dist/hono-base.js:306:24)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  '    at async Promise.all (index 0)',
].join('\n');

test("a Node stack reads too: the app's .ts frames stand alone, the framework's and Node's fold", (t) => {
  const parts = tracebackParts(nodeStack);
  t.deepEqual(parts.map((p) => p.kind), ['text', 'project', 'project', 'framework', 'text']);
  t.deepEqual(parts[1], { kind: 'project', frame: { file: 'math.ts', line: 3, name: 'divide', code: [] } });
  t.deepEqual(parts[2], { kind: 'project', frame: { file: 'app.ts', line: 6, name: 'Array.<anonymous>', code: [] } });
  t.is(parts[3]?.kind === 'framework' ? parts[3].frames.length : 0, 3);
  t.false(isProjectFile('node:internal/process/task_queues'));
  t.false(isProjectFile('file:///opt/runner-node/node_modules/hono/dist/hono-base.js'));
  t.true(isProjectFile('routes/todos.ts'));
});
