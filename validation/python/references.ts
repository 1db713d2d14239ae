/** Findings for references to blocked built-ins, process-starting functions and sandbox-escape attributes. */
import { finding, type Finding } from '../findings.js';
import type { ReferenceFact } from './facts.js';

const builtins: Record<string, string> = {
  eval: '`eval` runs code from a string and is not allowed; parse the value instead (json.loads, int, float).',
  exec: '`exec` runs code from a string and is not allowed; write the code as functions instead.',
  compile: 'The built-in `compile` builds code at run time and is not allowed (re.compile is fine).',
  __import__: '`__import__` loads modules dynamically and is not allowed; use an import statement.',
  input: '`input()` waits for a terminal that apps do not have; read request parameters instead.',
  breakpoint: '`breakpoint()` would stop the app waiting for a debugger; remove it.',
};

function message(fact: ReferenceFact): string {
  if (fact.kind === 'builtin') return builtins[fact.name] ?? `\`${fact.name}\` is not allowed.`;
  if (fact.kind === 'dunder') {
    return fact.name === '__builtins__'
      ? '`__builtins__` reaches the blocked built-ins and is not allowed.'
      : `\`${fact.name}\` is a way out of Python's normal scoping and is not allowed.`;
  }
  if (fact.name === 'sys.modules') return '`sys.modules` reaches every loaded module and is not allowed; import modules directly.';
  if (fact.name === 'sys._getframe') return '`sys._getframe` reaches other frames and is not allowed.';
  return `\`${fact.name}\` starts or replaces processes, which apps may not do.`;
}

export function referenceFindings(file: string, references: readonly ReferenceFact[]): Finding[] {
  return references.map((fact) => finding(file, 'blocked-name', message(fact), fact));
}
