/**
 * JSON-shaped values (Kubernetes objects) as YAML for reading: block style, strings plain when that
 * is unambiguous, double-quoted (valid YAML, JSON escapes) otherwise, multi-line strings as literal
 * blocks. Enough for manifests; not a general YAML library.
 */
const reserved = /^(true|false|yes|no|on|off|null|~|y|n)$/i;
const plain = /^[A-Za-z_./@][A-Za-z0-9_./@:+=,-]*( [A-Za-z0-9_./@:+=,()-]+)*$/;

function scalar(value: string): string {
  if (value === '' || reserved.test(value) || !Number.isNaN(Number(value)) || !plain.test(value) || value.includes(': ') || value.includes(' #')) {
    return JSON.stringify(value);
  }
  return value;
}

const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(k) ? k : JSON.stringify(k));

function isBlock(value: unknown): boolean {
  return (Array.isArray(value) && value.length > 0) || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0);
}

function inline(value: unknown, pad: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  const text = String(value);
  if (text.includes('\n')) {
    const chomp = text.endsWith('\n') ? '|' : '|-';
    const body = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').map((line) => (line ? `${pad}  ${line}` : '')).join('\n');
    return `${chomp}\n${body}`;
  }
  return scalar(text);
}

function lines(value: unknown, pad: string): string {
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (!isBlock(item)) return `${pad}- ${inline(item, pad)}`;
      const nested = lines(item, `${pad}  `);
      return Array.isArray(item) ? `${pad}-\n${nested}` : `${pad}- ${nested.slice(pad.length + 2)}`;
    }).join('\n');
  }
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => (isBlock(v) ? `${pad}${key(k)}:\n${lines(v, `${pad}  `)}` : `${pad}${key(k)}: ${inline(v, pad)}`)).join('\n');
}

export function toYaml(value: unknown): string {
  return isBlock(value) ? `${lines(value, '')}\n` : `${inline(value, '')}\n`;
}
