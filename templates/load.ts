/**
 * Reads every built-in template (templates/*.yaml), validating each against the schema. A bad file
 * fails with its file name and every problem's path, never half-loads.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { appTemplateSchema, type AppTemplate } from './schema.js';

export const builtinTemplateDir = fileURLToPath(new URL('.', import.meta.url));

export function parseTemplate(text: string, source: string): AppTemplate {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid YAML (${(error as Error).message})`, { cause: error });
  }
  const result = appTemplateSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`${source}: not a valid AppTemplate:\n${problems}`);
  }
  return result.data;
}

export async function loadTemplates(dir = builtinTemplateDir): Promise<AppTemplate[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const templates = await Promise.all(files.map(async (f) => parseTemplate(await readFile(`${dir}/${f}`, 'utf8'), f)));
  const names = new Set<string>();
  for (const [i, template] of templates.entries()) {
    if (names.has(template.metadata.name)) throw new Error(`${files[i]}: duplicate template name ${template.metadata.name}`);
    names.add(template.metadata.name);
  }
  return templates;
}
