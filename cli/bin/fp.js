#!/usr/bin/env node
// The `fp` command. An installed package runs its bundle (dist/, built by `npm run build` or on
// `npm install`/`npm pack`); in a checkout whose sources are newer than the bundle, it runs the
// TypeScript sources through tsx instead, so `npx fp` never runs stale code while you edit.
import { existsSync, readFileSync, statSync } from 'node:fs';

const bundle = new URL('../dist/fp.js', import.meta.url);
const stamp = new URL('../dist/.inputs', import.meta.url);

function stale() {
  if (!existsSync(new URL('../src/main.ts', import.meta.url))) return false;
  if (!existsSync(bundle) || !existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = readFileSync(stamp, 'utf8').split('\n').filter(Boolean);
  return inputs.some((file) => {
    try {
      return statSync(new URL(`../${file}`, import.meta.url)).mtimeMs > built;
    } catch {
      return true;
    }
  });
}

if (stale()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
} else {
  await import(bundle.href);
}
