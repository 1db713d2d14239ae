import test from 'ava';
import fc from 'fast-check';
import { fileKey, filePath } from '../../constructs/index.js';

// The apiserver's rule for ConfigMap keys (validation.IsConfigMapKey).
function isConfigMapKey(key: string): boolean {
  return key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && !key.startsWith('..');
}

test('folder paths become valid keys that read back as the same path', (t) => {
  for (const [path, key] of [
    ['app.py', 'app.py'],
    ['static/css/site.css', 'static_2Fcss_2Fsite.css'],
    ['pkg/__init__.py', 'pkg_2F__init__.py'],
    ['my_module.py', 'my_module.py'],
    ['a_2F.py', 'a_5F2F.py'],
    ['.env.example', '_2Eenv.example'],
    ['données/é.txt', 'donn_C3_A9es_2F_C3_A9.txt'],
  ]) {
    t.is(fileKey(path ?? ''), key, path);
    t.is(filePath(key ?? ''), path, key);
  }
});

test('any path round-trips and always yields a valid ConfigMap key', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), (path) => {
        const key = fileKey(path);
        return filePath(key) === path && (key.length > 253 || isConfigMapKey(key));
      }),
      { numRuns: 5000 },
    ),
  );
});

test('distinct paths never share a key', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => a === b || fileKey(a) !== fileKey(b)),
      { numRuns: 5000 },
    ),
  );
});
