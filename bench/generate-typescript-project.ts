/**
 * Generates realistic TypeScript (Hono) project files of a target size, deterministically (seeded):
 * zod schemas with inferred types, interfaces and generics, classes with private fields, async Hono
 * routes with validation, template literals, regexes, enums and arrow functions; only the runner's
 * packages, plus sibling imports the TypeScript way (`./models.js`).
 */
import { rng, words } from './generate-project.js';

function block(kind: number, n: number, pick: <T>(items: readonly T[]) => T): string {
  const noun = pick(words);
  const Noun = `${noun[0]?.toUpperCase()}${noun.slice(1)}`;
  switch (kind % 5) {
    case 0:
      return `
export const ${Noun}Schema${n} = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1).max(120),
  tags: z.array(z.string()).default([]),
  amount: z.number().nonnegative().default(0),
  createdAt: z.string().datetime().optional(),
});
export type ${Noun}${n} = z.infer<typeof ${Noun}Schema${n}>;

export function label${Noun}${n}(item: ${Noun}${n}): string {
  return \`\${item.name} (#\${item.id}) \${item.tags.join(', ')}\`;
}
`;
    case 1:
      return `
export interface Stats${n}<T extends { amount: number }> {
  readonly count: number;
  readonly total: number;
  readonly samples: readonly T[];
}

export class ${Noun}Stats${n}<T extends { amount: number }> {
  #samples: T[] = [];

  add(value: T): this {
    this.#samples.push(value);
    return this;
  }

  get summary(): Stats${n}<T> {
    const total = this.#samples.reduce((sum, s) => sum + s.amount, 0);
    return { count: this.#samples.length, total, samples: [...this.#samples] };
  }
}
`;
    case 2:
      return `
const ${noun}Pattern${n} = /^(?<prefix>[a-z]{2,8})-(?<number>\\d{3,9})$/;

export enum ${Noun}Kind${n} { Draft = 'draft', Open = 'open', Closed = 'closed' }

export function parse${Noun}${n}(raw: string): Record<string, string> | null {
  // Accepts codes such as "ord-12345"; anything else is rejected early.
  const match = ${noun}Pattern${n}.exec(raw.trim().toLowerCase());
  if (!match?.groups) return null;
  return Object.fromEntries(Object.entries(match.groups).filter(([, value]) => Boolean(value)));
}
`;
    case 3:
      return `
export function summarize${Noun}s${n}(items: readonly Record<string, unknown>[], limit = 10): { totals: Record<string, number>; top: string[]; count: number } {
  const totals: Record<string, number> = {};
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (typeof value === 'number') totals[key] = (totals[key] ?? 0) + value;
    }
  }
  const ranked = [...items].sort((a, b) => Number(b.amount ?? 0) - Number(a.amount ?? 0)).slice(0, limit);
  return { totals, top: ranked.map((r) => String(r.name ?? '?')), count: items.length };
}
`;
    default:
      return `
routes.get('/${noun}s/${n}/:id', async (c) => {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id < 0) return c.json({ error: \`No ${noun} \${c.req.param('id')}\` }, 404);
  const verbose = c.req.query('verbose') === 'true';
  const payload: Record<string, unknown> = { id, kind: '${noun}', digest: Array.from(String(id)).map((d) => d.charCodeAt(0).toString(16)).join('') };
  if (verbose) payload.details = [0, 1, 2].map((step) => JSON.stringify({ step, at: step * 1.5 }));
  return c.json(payload);
});
`;
  }
}

export function generateModule(name: string, targetBytes: number, seed: number, siblings: readonly string[] = []): string {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let text = `/** ${name}: generated for bench/validate. */
import { Hono } from 'hono';
import { z } from 'zod';
${siblings.map((s) => `import * as ${s} from './${s}.js';`).join('\n')}

export const routes = new Hono();
`;
  let n = 0;
  while (text.length < targetBytes) text += block(Math.floor(random() * 5), n++, pick);
  return text;
}

/** The entry module: the app plus the routes of the sibling modules. */
export function generateApp(targetBytes: number, seed: number, modules: readonly string[]): string {
  const header = `import { Hono } from 'hono';\n${modules.map((m) => `import * as ${m} from './${m}.js';`).join('\n')}\n\nconst app = new Hono();\n${modules.map((m) => `app.route('/${m}', ${m}.routes);`).join('\n')}\n\nexport default app;\n`;
  return targetBytes <= header.length ? header : header + generateModule('app', targetBytes - header.length, seed).replace(/^\/\*\*.*\n(import .*\n)+\nexport const routes = new Hono\(\);\n/, '\nconst routes = new Hono();\napp.route(\'/more\', routes);\n');
}

/** A five-file project of about `totalBytes` (each file under the 100 KB limit). */
export function generateTypeScriptProject(totalBytes = 480 * 1024): Record<string, string> {
  const modules = ['models', 'services', 'views', 'utils'];
  const per = totalBytes / 5;
  const files: Record<string, string> = { 'app.ts': generateApp(per, 1, modules) };
  modules.forEach((m, i) => { files[`${m}.ts`] = generateModule(m, per, 10 + i); });
  return files;
}
