/** fp init, fp validate (offline, the platform's own validator) and fp templates. */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Finding, TemplateSummary } from '../../../contract/index.js';
import { output, session, type GlobalOptions } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { errorsOf, findingLine } from '../findings.js';
import { json, table } from '../output.js';
import { collectFiles, exists, findProject, projectFileName, requireProject, writeFiles, writeProjectFile } from '../project.js';

type Options = GlobalOptions & { template?: string; name?: string; framework?: 'fastapi' | 'fasthtml' | 'hono' };

/** The hello-world app of each framework: its entry file (which gives the app its language) and title. */
const hello: Record<'fastapi' | 'fasthtml' | 'hono', { file: string; title: string; source: string }> = {
  fastapi: { file: 'app.py', title: 'FastAPI', source: 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef hello():\n    return {"message": "Hello from the FastAPI Platform"}\n' },
  fasthtml: { file: 'app.py', title: 'FastHTML', source: 'from fasthtml.common import *\n\napp, rt = fast_app()\n\n\n@rt("/")\ndef get():\n    return Titled("Hello", P("Hello from the FastAPI Platform"))\n' },
  hono: { file: 'app.ts', title: 'Hono (TypeScript)', source: "import { Hono } from 'hono';\n\nconst app = new Hono();\n\napp.get('/', (c) => c.json({ message: 'Hello from the FastAPI Platform' }));\n\nexport default app;\n" },
};

/** Runs the validator here: CPython 3.11 when found (FP_PYTHON or python3.11), else pyodide's. */
export async function validateLocally(files: Record<string, Buffer>, entrypoint: string): Promise<{ findings: Finding[]; engine: string; python: string; framework: string | null; checkedBy: string }> {
  const { createNodeValidator, languageOf } = await import('../../../validation/node.js');
  const validator = await createNodeValidator({ workers: 1 });
  try {
    const result = await validator.validate({ files, entrypoint });
    // What checked the entry file's language, for people (TypeScript's engine loads only for scripts).
    const checkedBy = languageOf({ entrypoint }) === 'typescript' && validator.scripts
      ? validator.scripts.version
      : `${validator.engine.name}, Python ${validator.engine.pythonVersion}`;
    return { findings: result.findings, engine: validator.engine.name, python: validator.engine.pythonVersion, framework: result.framework, checkedBy };
  } finally {
    await validator.close();
  }
}

export async function validate(_args: string[], options: Options): Promise<number> {
  const out = output(options);
  const project = await requireProject();
  const result = await validateLocally(await collectFiles(project.dir), project.file.entrypoint);
  const errors = errorsOf(result.findings);
  if (out.json) {
    json(out.out, { valid: errors.length === 0, findings: result.findings, framework: result.framework, engine: result.engine, python: result.python });
  } else {
    for (const f of result.findings) out.line(findingLine(f, out.paint));
    const verdict = errors.length === 0 ? out.paint('green', 'valid') : out.paint('red', `${errors.length} error${errors.length === 1 ? '' : 's'}`);
    out.note(`${project.file.name}: ${verdict} (${result.checkedBy}; the default allowed imports, as an admin may have changed them on the platform)`);
  }
  return errors.length === 0 ? exitCodes.ok : exitCodes.deployFailed;
}

function matchTemplate(templates: readonly TemplateSummary[], wanted: string): TemplateSummary {
  const key = wanted.toLowerCase();
  const found = templates.find((t) => t.id === wanted || t.id === `builtin-${key}` || t.title.toLowerCase() === key);
  if (!found) throw new CliError(`There is no template "${wanted}".`, exitCodes.notFound, `See \`fp templates\`; for example: ${templates.slice(0, 3).map((t) => t.id.replace(/^builtin-/, '')).join(', ')}.`);
  return found;
}

export async function init(args: string[], options: Options): Promise<void> {
  const out = output(options);
  const dir = resolve(args[0] ?? '.');
  if (await exists(join(dir, projectFileName))) throw new CliError(`${join(dir, projectFileName)} already exists: this is a project already.`, exitCodes.conflict);
  const outer = await findProject(dir);
  if (outer) out.note(`Note: ${outer.dir} is a project already; this one goes inside it.`);
  let files: Record<string, string>;
  let entrypoint: string;
  let from: string;
  if (options.template) {
    const s = await session(options);
    const { templates } = await s.api.listTemplates({ query: { scope: 'all' } });
    const chosen = await s.api.getTemplate({ params: { templateId: matchTemplate(templates, options.template).id } });
    files = chosen.files;
    entrypoint = chosen.entrypoint;
    from = `the template "${chosen.title}"`;
  } else {
    const chosen = hello[options.framework ?? 'fastapi'];
    files = { [chosen.file]: chosen.source };
    entrypoint = chosen.file;
    from = `a hello-world ${chosen.title} app`;
  }
  await mkdir(dir, { recursive: true });
  const existing = await collectFiles(dir);
  const clashes = Object.keys(files).filter((p) => existing[p]);
  if (clashes.length > 0) throw new CliError(`${dir} already has ${clashes.join(', ')}; nothing was written.`, exitCodes.conflict, 'Start in an empty folder: fp init <dir>.');
  await writeFiles(dir, files);
  const name = options.name ?? basename(dir);
  await writeProjectFile(dir, { name, entrypoint });
  if (!(await exists(join(dir, '.gitignore')))) await writeFile(join(dir, '.gitignore'), '.fp/\n__pycache__/\n.venv/\n');
  out.line(`Created ${name} in ${dir} from ${from}: ${Object.keys(files).join(', ')}.`);
  out.note(`Next: ${args[0] && args[0] !== '.' ? `cd ${args[0]} && ` : ''}fp dev (run it here), fp deploy (run it on the platform).`);
}

export async function templates(_args: string[], options: Options): Promise<void> {
  const out = output(options);
  const s = await session(options);
  const { templates: list } = await s.api.listTemplates({ query: { scope: 'all' } });
  if (out.json) return json(out.out, { templates: list });
  out.line(table([
    ['NAME', 'LANGUAGE', 'FRAMEWORK', 'LEVEL', 'TITLE'].map((h) => out.paint('dim', h)),
    ...list.map((t) => [t.id.replace(/^builtin-/, ''), t.language, t.framework, t.complexity, `${t.title}${t.scope === 'mine' ? ' (yours)' : ''}`]),
  ]));
}
