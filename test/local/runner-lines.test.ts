/** The runner's structured stderr lines as the log shows them to people. */
import test from 'ava';
import { readableLogText, readableRunnerLines } from '../../api/runtime/runner-lines.js';

test('a request\'s exception becomes a sentence and its traceback, line by line', (t) => {
  const event = { fp: 'request-exception', method: 'GET', path: '/boom', type: 'ZeroDivisionError', message: 'division by zero', traceback: 'Traceback (most recent call last):\n  File "/code/app.py", line 9, in boom\nZeroDivisionError: division by zero\n' };
  t.deepEqual(readableRunnerLines(event, JSON.stringify(event)), [
    'GET /boom raised ZeroDivisionError: division by zero',
    'Traceback (most recent call last):', '  File "/code/app.py", line 9, in boom', 'ZeroDivisionError: division by zero',
  ]);
});

test('a start failure names its file and line; an import names the framework, listening its address', (t) => {
  t.deepEqual(readableRunnerLines({ fp: 'start-failed', type: 'KeyError', message: "'TOKEN'", file: 'app.py', line: 4 }, ''), ['The app did not start: KeyError: \'TOKEN\' (app.py:4)']);
  t.deepEqual(readableRunnerLines({ fp: 'start-failed', type: 'AppNotFound', message: 'no app', file: null, line: null }, ''), ['The app did not start: AppNotFound: no app']);
  t.deepEqual(readableRunnerLines({ fp: 'imported', entrypoint: 'app.py', framework: 'fastapi' }, ''), ['Imported app.py (fastapi)']);
  t.deepEqual(readableRunnerLines({ fp: 'listening', host: '127.0.0.1', port: 41234 }, ''), ['Serving on 127.0.0.1:41234']);
  t.deepEqual(readableRunnerLines({ fp: 'listening', listen: 'unix:/run/app/app.sock', path: '/run/app/app.sock' }, ''), ['Serving on unix:/run/app/app.sock']);
});

test('a structured line this version does not know stays as it came', (t) => {
  const raw = '{"fp": "something-new", "x": 1}';
  t.deepEqual(readableRunnerLines({ fp: 'something-new', x: 1 }, raw), [raw]);
});

test('as one log entry (the Kubernetes log keeps one cursor per line), the written-out lines are joined', (t) => {
  t.is(readableLogText('{"fp": "start-failed", "type": "KeyError", "message": "\'TOKEN\'", "file": "app.py", "line": 4}'), 'The app did not start: KeyError: \'TOKEN\' (app.py:4)');
  t.is(readableLogText('{"fp": broken'), '{"fp": broken');
  t.is(readableLogText('INFO: started'), 'INFO: started');
});
