/**
 * Merges the same manifests synthesized under every combination of toggles into one tree whose parts
 * carry the Helm condition under which they exist (or which value they take). A condition is the
 * simplest formula over the toggles that holds in exactly the combinations where the part appears;
 * when none does, generation fails rather than guessing.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Json, Variant } from './variants.js';

export type Node =
  | { readonly kind: 'leaf'; readonly value: Json }
  | { readonly kind: 'switch'; readonly cases: readonly { readonly when: string | null; readonly value: Json }[] }
  | { readonly kind: 'object'; readonly entries: readonly { readonly key: string; readonly when: string | null; readonly node: Node }[] }
  | { readonly kind: 'array'; readonly items: readonly { readonly when: string | null; readonly node: Node }[] };

/** Variant index → the value there (absent variants are not in the map). */
type Values = Map<number, Json>;

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

export class VariantMerger {
  /** @param toggleExpr toggle (dotted path) → the Helm expression that is true when it is on. */
  constructor(private readonly variants: readonly Variant[], private readonly toggleExpr: ReadonlyMap<string, string>) {}

  /** The objects of every variant, matched by kind, namespace and name, each with the condition it exists under. */
  documents(): { when: string | null; node: Node; id: string }[] {
    const byId = new Map<string, Values>();
    this.variants.forEach((variant, i) => {
      for (const object of variant.objects) {
        const meta = isObject(object) && isObject(object.metadata) ? object.metadata : {};
        const id = `${String(isObject(object) ? object.kind : '')}/${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
        if (!byId.has(id)) byId.set(id, new Map());
        byId.get(id)?.set(i, object);
      }
    });
    const all = this.variants.map((_, i) => i);
    return [...byId].map(([id, values]) => ({ id, when: this.condition([...values.keys()], all), node: this.merge(values) }));
  }

  merge(values: Values): Node {
    const present = [...values.values()];
    const first = present[0] ?? null;
    if (present.every((v) => isDeepStrictEqual(v, first))) return { kind: 'leaf', value: first };
    if (present.every(isObject)) return this.mergeObjects(values as Map<number, { [key: string]: Json }>);
    if (present.every(Array.isArray)) {
      const arrays = values as Map<number, Json[]>;
      const byName = this.namedItems(arrays);
      if (byName) return byName;
      const lengths = new Set([...arrays.values()].map((a) => a.length));
      if (lengths.size === 1) {
        const length = [...lengths][0] ?? 0;
        return { kind: 'array', items: Array.from({ length }, (_, index) => ({ when: null, node: this.merge(pick(arrays, (a) => a[index])) })) };
      }
    }
    return this.switch(values);
  }

  private mergeObjects(values: Map<number, { [key: string]: Json }>): Node {
    const domain = [...values.keys()];
    const keys = orderedUnion([...values.values()].map((o) => Object.keys(o)));
    return {
      kind: 'object',
      entries: keys.map((key) => {
        const sub = pick(values, (o) => o[key]);
        return { key, when: this.condition([...sub.keys()], domain), node: this.merge(sub) };
      }),
    };
  }

  /** Lists of `{ name, ... }` (env, ports, containers) match by name, so one added entry is one condition. */
  private namedItems(arrays: Map<number, Json[]>): Node | undefined {
    const names = [...arrays.values()].map((a) => a.map((item) => (isObject(item) && typeof item.name === 'string' ? item.name : undefined)));
    if (names.some((list) => list.some((n) => n === undefined) || new Set(list).size !== list.length)) return undefined;
    const domain = [...arrays.keys()];
    return {
      kind: 'array',
      items: orderedUnion(names as string[][]).map((name) => {
        const sub = pick(arrays, (a) => a.find((item) => isObject(item) && item.name === name));
        return { when: this.condition([...sub.keys()], domain), node: this.merge(sub) };
      }),
    };
  }

  private switch(values: Values): Node {
    const groups: { value: Json; variants: number[] }[] = [];
    for (const [i, value] of values) {
      const group = groups.find((g) => isDeepStrictEqual(g.value, value));
      if (group) group.variants.push(i);
      else groups.push({ value, variants: [i] });
    }
    let domain = [...values.keys()];
    const cases = groups.map((group, index) => {
      const when = index === groups.length - 1 ? null : this.condition(group.variants, domain);
      domain = domain.filter((v) => !group.variants.includes(v));
      return { when, value: group.value };
    });
    return { kind: 'switch', cases };
  }

  /** The simplest formula over toggles true in exactly `sub` among `domain`; null when `sub` is all of it. */
  condition(sub: readonly number[], domain: readonly number[]): string | null {
    if (sub.length === domain.length) return null;
    const names = [...this.toggleExpr.keys()];
    const lit = names.flatMap((n) => [{ test: (v: number) => this.on(v, n), expr: this.expr(n) }, { test: (v: number) => !this.on(v, n), expr: `not (${this.expr(n)})` }]);
    const candidates = [
      ...lit,
      ...lit.flatMap((a, i) => lit.slice(i + 1).map((b) => ({ test: (v: number) => a.test(v) && b.test(v), expr: `and (${a.expr}) (${b.expr})` }))),
      ...lit.flatMap((a, i) => lit.slice(i + 1).map((b) => ({ test: (v: number) => a.test(v) || b.test(v), expr: `or (${a.expr}) (${b.expr})` }))),
    ];
    const found = candidates.find((c) => domain.every((v) => c.test(v) === sub.includes(v)));
    if (!found) throw new Error(`no condition over ${names.join(', ')} tells variants ${sub.join(',')} from ${domain.join(',')}`);
    return found.expr;
  }

  private on(variant: number, toggle: string): boolean {
    return this.variants[variant]?.on.get(toggle) === true;
  }

  private expr(toggle: string): string {
    const expr = this.toggleExpr.get(toggle);
    if (!expr) throw new Error(`no expression for toggle ${toggle}`);
    return expr;
  }
}

function pick<T>(values: Map<number, T>, get: (value: T) => Json | undefined): Values {
  const out: Values = new Map();
  for (const [i, value] of values) {
    const got = get(value);
    if (got !== undefined) out.set(i, got);
  }
  return out;
}

/** Keys in the order the fullest list has them, the others' extras after their predecessor. */
function orderedUnion(lists: readonly (readonly string[])[]): string[] {
  const sorted = [...lists].sort((a, b) => b.length - a.length);
  const out = [...(sorted[0] ?? [])];
  for (const list of sorted.slice(1)) {
    list.forEach((key, i) => {
      if (out.includes(key)) return;
      const before = i > 0 ? out.indexOf(list[i - 1] as string) : -1;
      out.splice(before + 1, 0, key);
    });
  }
  return out;
}
