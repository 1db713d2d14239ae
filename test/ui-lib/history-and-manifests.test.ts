/**
 * The pure helpers behind history and the manifests view: what changed between two versions of a
 * project, and Kubernetes objects as YAML (read back by a real YAML parser to the same objects).
 */
import test from 'ava';
import { parse } from 'yaml';
import { fileChanges } from '../../ui/src/lib/file-changes.js';
import { toYaml } from '../../ui/src/lib/yaml.js';

test('file changes: modified first, then added, removed, unchanged, each by path', (t) => {
  const before = { 'app.py': 'a', 'lib/x.py': 'x1', 'old.py': 'o', 'same.txt': 's' };
  const after = { 'app.py': 'a', 'lib/x.py': 'x2', 'new.py': 'n', 'same.txt': 's' };
  t.deepEqual(fileChanges(before, after), [
    { path: 'lib/x.py', change: 'modified' }, { path: 'new.py', change: 'added' }, { path: 'old.py', change: 'removed' },
    { path: 'app.py', change: 'unchanged' }, { path: 'same.txt', change: 'unchanged' },
  ]);
  t.deepEqual(fileChanges({}, { 'app.py': '' }), [{ path: 'app.py', change: 'added' }]);
  t.deepEqual(fileChanges({ 'app.py': 'x' }, { 'app.py': 'x' }), [{ path: 'app.py', change: 'unchanged' }]);
});

test('YAML of a Kubernetes object reads back as the same object', (t) => {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'app-k3x9q2m7zt', labels: { 'app.kubernetes.io/name': 'user-app', 'fastapi-platform.io/owner': '5264b1f3ad5871d1caee0647' }, annotations: { 'fastapi-platform.io/version': '3' } },
    spec: {
      replicas: 1, revisionHistoryLimit: 0, paused: false,
      template: { spec: { containers: [{ name: 'runner', image: 'fp-runner:1', ports: [{ containerPort: 8000, name: 'http' }], args: [], env: [{ name: 'EMPTY', value: '' }, { name: 'FLAG', value: 'true' }, { name: 'N', value: '010' }] }], volumes: [{ name: 'code', configMap: { name: 'app-k3x9q2m7zt-code', items: [] } }] } },
    },
  };
  t.deepEqual(parse(toYaml(deployment)), deployment);
});

test('YAML keeps awkward strings exact: code with quotes, colons, comments, blank lines and a missing final newline', (t) => {
  const configMap = {
    kind: 'ConfigMap', metadata: { name: 'x' },
    data: {
      'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()  # a comment: yes\n\n\n@app.get("/")\ndef index():\n    return {"a": \'b\'}\n',
      'no-newline.txt': 'line one\nline two',
      'key with spaces': '- not a list',
      'colon': 'a: b', 'hash': 'a #b', 'null-ish': 'null', 'tilde': '~', 'number-ish': '1e3', 'leading space': ' x', 'unicode': 'héllo — ✓',
    },
    rules: [[1, 2], [], {}, null],
  };
  t.deepEqual(parse(toYaml(configMap)), configMap);
});
