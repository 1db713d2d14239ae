/**
 * fp completion bash|zsh|fish: a completion script generated from the command tree itself, so it
 * never lists a command or flag fp does not have. Commands complete by position (subcommands after
 * their group), flags after a command; zsh loads the bash script through bashcompinit.
 */
import type { Command } from 'commander';
import { CliError, exitCodes } from '../exit-codes.js';

interface Node {
  readonly path: string[];
  readonly subcommands: string[];
  readonly flags: string[];
  readonly description: string;
}

function walk(command: Command, path: string[] = []): Node[] {
  const visible = command.commands.filter((c) => c.name() !== 'help');
  const flags = command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
  const node = { path, subcommands: visible.flatMap((c) => [c.name(), ...c.aliases()]), flags: [...flags, '--help'], description: command.description() };
  return [node, ...visible.flatMap((c) => walk(c, [...path, c.name()]))];
}

function bash(nodes: Node[]): string {
  const known = nodes.filter((n) => n.path.length > 0).map((n) => `"fp ${n.path.join(' ')}"`).join('|');
  const cases = nodes.map((n) => `    "${['fp', ...n.path].join(' ')}") words="${[...n.subcommands, ...n.flags].join(' ')}" ;;`).join('\n');
  return `# fp completion for bash: eval "$(fp completion bash)" in ~/.bashrc
_fp_completion() {
  local cur=\${COMP_WORDS[COMP_CWORD]} node=fp i words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "$node \${COMP_WORDS[i]}" in
      ${known}) node="$node \${COMP_WORDS[i]}" ;;
    esac
  done
  case "$node" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _fp_completion fp
`;
}

function zsh(nodes: Node[]): string {
  return `#compdef fp
# fp completion for zsh: eval "$(fp completion zsh)" in ~/.zshrc
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(nodes).split('\n').slice(1).join('\n')}`;
}

function fish(nodes: Node[]): string {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# fp completion for fish: fp completion fish > ~/.config/fish/completions/fp.fish', 'complete -c fp -f'];
  for (const node of nodes) {
    const condition = node.path.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${node.path.at(-1)}`;
    const children = nodes.filter((n) => n.path.length === node.path.length + 1 && n.path.slice(0, -1).join(' ') === node.path.join(' '));
    for (const child of children) lines.push(`complete -c fp -n ${quote(condition)} -a ${child.path.at(-1)} -d ${quote(child.description)}`);
    if (node.path.length === 0) continue;
    for (const flag of node.flags) {
      lines.push(`complete -c fp -n ${quote(condition)} ${flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function completion(shell: string, program: Command): Promise<void> {
  const nodes = walk(program);
  const scripts: Record<string, (n: Node[]) => string> = { bash, zsh, fish };
  const make = scripts[shell];
  if (!make) throw new CliError(`fp completes bash, zsh and fish, not "${shell}".`, exitCodes.usage);
  process.stdout.write(make(nodes));
}
