/**
 * Early, specific validation for construct props (STYLE.md §4): each failure names the prop, shows
 * the bad value and says what to change. Nothing here catches; constructs throw before synthesis.
 */
export function invalid(construct: string, prop: string, value: unknown, fix: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
  throw new Error(`${construct}: invalid ${prop} ${shown}: ${fix}`);
}

export function check(ok: boolean, construct: string, prop: string, value: unknown, fix: string): void {
  if (!ok) invalid(construct, prop, value, fix);
}

const dnsLabel = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function isDnsName(value: string): boolean {
  return value.length <= 253 && value.split('.').every((part) => part.length > 0 && part.length <= 63 && dnsLabel.test(part));
}

export function isDnsLabel(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && dnsLabel.test(value);
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value);
}

/** A safe relative project path: no absolute path, `..`, `.`, empty segment, backslash or control character. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
