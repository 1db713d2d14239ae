/**
 * Writes a merged manifest tree as a Helm template: block YAML, `{{- if }}` around parts that exist
 * only under a condition, inline `{{ if }}` for values that differ, and every sentinel replaced by its
 * `.Values` reference. Strings go through `toJson`, so any value a schema lets through stays valid
 * YAML; integers through `int`, since Helm reads numbers as floats.
 */
import type { Node } from './merge.js';
import type { Json, Sentinel } from './variants.js';

export const valuesRef = (path: readonly string[]): string => `.Values.${path.join('.')}`;

export class TemplateWriter {
  private readonly numbers: Map<number, Sentinel>;
  private readonly pattern: RegExp;

  constructor(private readonly sentinels: readonly Sentinel[]) {
    this.numbers = new Map(sentinels.filter((s) => typeof s.marker === 'number').map((s) => [s.marker as number, s]));
    const alternatives = sentinels.map((s) => (typeof s.marker === 'number' ? `(?<!\\d)${s.marker}(?!\\d)` : escapeRegExp(s.marker)));
    this.pattern = new RegExp(alternatives.join('|'), 'g');
  }

  document(node: Node, when: string | null): string {
    const body = this.entries(node, 0);
    return when ? `{{- if ${when} }}\n${body}\n{{- end }}\n` : `${body}\n`;
  }

  private entries(node: Node, indent: number): string {
    const object = asObject(node);
    if (!object) throw new Error('a manifest must be an object');
    const pad = ' '.repeat(indent);
    return object.map(({ key, when, node: child }) => {
      this.noSentinel(key);
      const line = this.entry(key, child, indent);
      return when ? `${pad}{{- if ${when} }}\n${line}\n${pad}{{- end }}` : line;
    }).join('\n');
  }

  private entry(key: string, node: Node, indent: number): string {
    const pad = ' '.repeat(indent);
    const name = /^[A-Za-z_][\w.\-/]*$/.test(key) ? key : JSON.stringify(key);
    const block = this.block(node, indent + 2);
    if (block === undefined) return `${pad}${name}: ${this.inline(node)}`;
    if (block.allConditional) {
      return `${pad}{{- if ${block.anyWhen} }}\n${pad}${name}:\n${block.text}\n${pad}{{- else }}\n${pad}${name}: ${block.empty}\n${pad}{{- end }}`;
    }
    return `${pad}${name}:\n${block.text}`;
  }

  /** Block form for non-empty objects and lists whose items are not a single templated list. */
  private block(node: Node, indent: number): { text: string; allConditional: boolean; anyWhen: string; empty: string } | undefined {
    const object = asObject(node);
    if (object && object.length > 0) {
      const conds = object.map((e) => e.when);
      return { text: this.entries(node, indent), ...allConditional(conds), empty: '{}' };
    }
    const items = asArray(node);
    if (items && items.length > 0 && !(node.kind === 'leaf' && this.listSentinel(node.value))) {
      const pad = ' '.repeat(indent);
      const text = items.map(({ when, node: item }) => {
        const inner = this.block(item, indent + 2);
        let line: string;
        if (inner === undefined) line = `${pad}- ${this.inline(item)}`;
        else if (inner.allConditional) line = `${pad}-\n${this.entriesOrBlock(item, indent + 2)}`;
        else line = inner.text.startsWith(`${pad}  {{`) ? `${pad}-\n${inner.text}` : `${pad}- ${inner.text.slice(indent + 2)}`;
        return when ? `${pad}{{- if ${when} }}\n${line}\n${pad}{{- end }}` : line;
      }).join('\n');
      return { text, ...allConditional(items.map((i) => i.when)), empty: '[]' };
    }
    return undefined;
  }

  private entriesOrBlock(node: Node, indent: number): string {
    return this.block(node, indent)?.text ?? `${' '.repeat(indent)}${this.inline(node)}`;
  }

  /** A value on one line: a scalar, flow JSON, or `{{ if }}` between such values. */
  private inline(node: Node): string {
    if (node.kind === 'switch') {
      return node.cases.map((c, i) => {
        const value = this.flow(c.value);
        if (i === 0) return `{{ if ${c.when ?? 'true'} }}${value}`;
        return c.when ? `{{ else if ${c.when} }}${value}` : `{{ else }}${value}{{ end }}`;
      }).join('');
    }
    if (node.kind === 'leaf') return this.flow(node.value);
    return this.flow(toJson(node));
  }

  private flow(value: Json): string {
    const list = this.listSentinel(value);
    if (list) return `{{ ${valuesRef(list.leaf.path)} | toJson }}`;
    if (typeof value === 'number') {
      const sentinel = this.numbers.get(value);
      return sentinel ? `{{ ${valuesRef(sentinel.leaf.path)} | int }}` : String(value);
    }
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.flow(v)).join(', ')}]`;
    if (value !== null && typeof value === 'object') {
      return `{${Object.entries(value).map(([k, v]) => {
        this.noSentinel(k);
        return `${JSON.stringify(k)}: ${this.flow(v)}`;
      }).join(', ')}}`;
    }
    return JSON.stringify(value);
  }

  private string(value: string): string {
    const parts: { literal: string; sentinel?: Sentinel }[] = [];
    let last = 0;
    for (const match of value.matchAll(this.pattern)) {
      const sentinel = this.sentinels.find((s) => String(s.marker) === match[0]);
      parts.push({ literal: value.slice(last, match.index), ...(sentinel ? { sentinel } : {}) });
      last = (match.index ?? 0) + match[0].length;
    }
    if (parts.length === 0) return plainSafe(value) ? value : JSON.stringify(value);
    const tail = value.slice(last);
    const only = parts[0];
    if (parts.length === 1 && only?.literal === '' && tail === '' && only.sentinel?.leaf.type === 'string') {
      return `{{ ${valuesRef(only.sentinel.leaf.path)} | toJson }}`;
    }
    const format = parts.map((p) => p.literal.replaceAll('%', '%%') + (p.sentinel?.leaf.type === 'integer' ? '%d' : '%s')).join('') + tail.replaceAll('%', '%%');
    const args = parts.map(({ sentinel }) => {
      if (!sentinel) throw new Error('unreachable: a match without its sentinel');
      const ref = valuesRef(sentinel.leaf.path);
      return sentinel.leaf.type === 'integer' ? `(${ref} | int)` : sentinel.leaf.type === 'list' ? `(join "," ${ref})` : ref;
    });
    if (format === '%s' && args.length === 1) return `{{ ${args[0] ?? ''} | toJson }}`;
    return `{{ printf ${JSON.stringify(format)} ${args.join(' ')} | toJson }}`;
  }

  private listSentinel(value: Json): Sentinel | undefined {
    if (!Array.isArray(value) || value.length !== 1) return undefined;
    return this.sentinels.find((s) => s.leaf.type === 'list' && s.marker === value[0]);
  }

  private noSentinel(key: string): void {
    if (new RegExp(this.pattern.source).test(key)) throw new Error(`a config value ended up in a key (${key}); Helm cannot template keys here`);
  }
}

function asObject(node: Node): { key: string; when: string | null; node: Node }[] | undefined {
  if (node.kind === 'object') return [...node.entries];
  if (node.kind === 'leaf' && node.value !== null && typeof node.value === 'object' && !Array.isArray(node.value)) {
    return Object.entries(node.value).map(([key, value]) => ({ key, when: null, node: { kind: 'leaf', value } }));
  }
  return undefined;
}

function asArray(node: Node): { when: string | null; node: Node }[] | undefined {
  if (node.kind === 'array') return [...node.items];
  if (node.kind === 'leaf' && Array.isArray(node.value)) return node.value.map((value) => ({ when: null, node: { kind: 'leaf', value } }));
  return undefined;
}

function allConditional(conds: readonly (string | null)[]): { allConditional: boolean; anyWhen: string } {
  const all = conds.length > 0 && conds.every((c) => c !== null);
  return { allConditional: all, anyWhen: all ? (conds.length === 1 ? String(conds[0]) : `or ${conds.map((c) => `(${String(c)})`).join(' ')}`) : '' };
}

function toJson(node: Node): Json {
  if (node.kind === 'leaf') return node.value;
  if (node.kind === 'object') return Object.fromEntries(node.entries.map((e) => [e.key, toJson(e.node)]));
  if (node.kind === 'array') return node.items.map((i) => toJson(i.node));
  throw new Error('a value that differs between variants inside a flow value cannot be written inline');
}

/** Words YAML reads back as the same string (no number, boolean or null look-alikes) need no quotes. */
function plainSafe(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|yes|no|on|off|y|n|null)$/i.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
