/**
 * Just enough of a Dockerfile parser for static checks: instructions with their continuation lines
 * joined (comment lines inside a continuation dropped, as Docker does), grouped into build stages.
 */
export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ENV, ... */
  readonly keyword: string;
  /** Everything after the keyword, continuations joined with a space. */
  readonly args: string;
}

export interface Stage {
  /** The base: an image reference or an earlier stage's name. */
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly stages: readonly Stage[];
  /** The stage the image is made of. */
  readonly final: Stage;
  stage(name: string): Stage;
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const continued = line.endsWith('\\');
    pending += `${pending ? ' ' : ''}${continued ? line.slice(0, -1).trim() : line}`;
    if (continued) continue;
    const [keyword = '', ...rest] = pending.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
    pending = '';
  }
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(' ').filter((w) => !w.startsWith('--'));
      stages.push({ from: words[0] ?? '', name: words[1]?.toUpperCase() === 'AS' ? words[2] : undefined, instructions: [] });
    } else {
      const current = stages.at(-1);
      if (!current) throw new Error(`${instruction.keyword} before the first FROM`);
      current.instructions.push(instruction);
    }
  }
  const final = stages.at(-1);
  if (!final) throw new Error('no FROM in the Dockerfile');
  return {
    stages,
    final,
    stage(name) {
      const found = stages.find((s) => s.name === name);
      if (!found) throw new Error(`no stage named ${name}`);
      return found;
    },
  };
}

/** The stage's instructions with one keyword. */
export function all(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** `ENV A=1 B=2` instructions of a stage as one record (unquoted values, as these Dockerfiles use). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of all(stage, 'ENV')) {
    for (const pair of args.split(' ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** `COPY [--from=x] src... dest`, flags and all. */
export interface Copy {
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly dest: string;
}

export function copiesOf(stage: Stage): Copy[] {
  return all(stage, 'COPY').map((args) => {
    const words = args.split(' ');
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((w) => !w.startsWith('--'));
    return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
  });
}
