/**
 * ConfigMap keys must match [-._a-zA-Z0-9]+ and may not start with "..", but a project's files live in
 * folders (`static/css/site.css`, `pkg/mod.py`). Paths are encoded reversibly into keys and mounted
 * back at their paths with the volume's `items`. Every byte outside [A-Za-z0-9._-] becomes `_XX`
 * (upper-case hex), so `static/site.css` is `static_2Fsite.css`; a leading `.` is `_2E`. A literal
 * `_` stays as it is (`__init__.py` reads as itself) unless two upper-case hex digits follow it in
 * the key, where it would read as an escape; then it is written `_5F`.
 */
const plain = /[A-Za-z0-9._-]/;
const escapeAhead = /^[0-9A-F]{2}/;

function escaped(byte: number): string {
  return `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

export function fileKey(path: string): string {
  const bytes = [...Buffer.from(path, 'utf8')];
  // Right to left, so each literal `_` can see what follows it in the finished key.
  let key = '';
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i] ?? 0;
    const char = String.fromCharCode(byte);
    if (char === '_') key = (escapeAhead.test(key) ? '_5F' : '_') + key;
    else if (byte < 0x80 && plain.test(char) && !(i === 0 && char === '.')) key = char + key;
    else key = escaped(byte) + key;
  }
  return key;
}

export function filePath(key: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < key.length; i++) {
    const hex = key.slice(i + 1, i + 3);
    if (key[i] === '_' && escapeAhead.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(key.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
