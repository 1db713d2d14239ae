/**
 * `npm run helm`: writes the platform's Helm chart to helm/fastapi-platform (or the directory given),
 * replacing what was there, and the values reference between the markers in README.md.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartName, helmChartFiles } from './chart.js';
import { valuesReference } from './values.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'helm', chartName));
rmSync(out, { recursive: true, force: true });
for (const [file, text] of helmChartFiles()) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  writeFileSync(join(out, file), text);
}
if (process.argv[2] === undefined) {
  const readme = join(root, 'README.md');
  writeFileSync(readme, withValuesReference(readFileSync(readme, 'utf8')));
}
console.log(`wrote ${out}`);

export function withValuesReference(readme: string): string {
  return readme.replace(/(<!-- helm-values:begin -->\n)[\s\S]*?(<!-- helm-values:end -->)/, `$1${valuesReference()}$2`);
}
