/**
 * Synthesizes the platform chart with marker values, once per combination of toggles: each leaf of the
 * config gets a sentinel that is valid for its schema and cannot occur otherwise in the manifests, so
 * where a sentinel lands in the output is where Helm's value goes, and what differs between
 * combinations is what Helm's conditions decide.
 */
import { App } from 'cdk8s';
import { parsePlatformConfig } from '../config.js';
import { PlatformChart } from '../platform-chart.js';
import { configShape, getPath, setPath, type Leaf, type Path, type Toggle } from './config-shape.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Sentinel {
  readonly leaf: Leaf;
  /** Strings: the value itself; integers: the number; lists: the one item of a one-item list. */
  readonly marker: string | number;
}

export interface Variant {
  /** Toggle (by dotted path) → on. */
  readonly on: ReadonlyMap<string, boolean>;
  readonly objects: Json[];
}

export const dotted = (path: Path): string => path.join('.');

/** Whether `inner` is `outer` or lies inside it. */
const within = (inner: Path, outer: Path): boolean => outer.every((key, i) => inner[i] === key);

/** A leaf with a fixed set of values: validated by Helm's schema, its sentinel set after parsing. */
const isChoice = (leaf: Leaf): boolean => Array.isArray(leaf.schema.enum);

function sentinelFor(leaf: Leaf, index: number): string | number {
  const token = `fpv${String(index).padStart(2, '0')}x`;
  if (leaf.type === 'integer') return 47100 + index;
  if (isChoice(leaf)) return token;
  const pattern = leaf.type === 'list' ? leaf.schema.items?.pattern : leaf.schema.pattern;
  const candidates = leaf.schema.format === 'uri' ? [`http://${token}`] : [token, `233.252.${index}.${index}/32`];
  const fit = candidates.find((c) => !pattern || new RegExp(pattern).test(c));
  if (fit === undefined) throw new Error(`${dotted(leaf.path)}: no sentinel fits the pattern ${pattern ?? ''}`);
  return fit;
}

/** Every set of toggles where a toggle is on only when the optional objects around it are. */
function toggleSets(toggles: readonly Toggle[]): Set<string>[] {
  const sets: Set<string>[] = [];
  for (let mask = 0; mask < 2 ** toggles.length; mask += 1) {
    const on = new Set(toggles.filter((_, i) => mask & (2 ** i)).map((t) => dotted(t.path)));
    const consistent = toggles.every((t) => !on.has(dotted(t.path)) || toggles.every((outer) =>
      outer.kind !== 'optional' || outer === t || !within(t.path, outer.path) || on.has(dotted(outer.path))));
    if (consistent) sets.push(on);
  }
  return sets;
}

export function synthesizeVariants(): { sentinels: Sentinel[]; toggles: Toggle[]; variants: Variant[] } {
  const { leaves, toggles } = configShape();
  const sentinels = leaves.map((leaf, i) => ({ leaf, marker: sentinelFor(leaf, i) }));
  const variants = toggleSets(toggles).map((on) => {
    const config: Record<string, unknown> = {};
    for (const { leaf, marker } of sentinels) {
      const inside = toggles.filter((t) => t.kind === 'optional' && within(leaf.path, t.path));
      if (inside.some((t) => !on.has(dotted(t.path)))) continue;
      if (isChoice(leaf)) continue;
      const listOn = on.has(dotted(leaf.path));
      setPath(config, leaf.path, leaf.type === 'list' ? (listOn ? [marker] : []) : marker);
    }
    // Optional objects switched on but with nothing inside still count: `tls: {}` means TLS on.
    for (const t of toggles) {
      const isObject = t.kind === 'optional' && !leaves.some((l) => dotted(l.path) === dotted(t.path));
      if (isObject && on.has(dotted(t.path)) && getPath(config, t.path) === undefined) setPath(config, t.path, {});
    }
    // A choice (an enum) only passes through to the manifests verbatim; no valid value is a unique
    // marker, so the parsed config gets the sentinel (values.schema.json still refuses other values).
    const parsed = parsePlatformConfig(config);
    for (const { leaf, marker } of sentinels) if (isChoice(leaf)) setPath(parsed as unknown as Record<string, unknown>, leaf.path, marker);
    const objects = new PlatformChart(new App(), 'platform', parsed).toJson() as Json[];
    return { on: new Map(toggles.map((t) => [dotted(t.path), on.has(dotted(t.path))])), objects };
  });
  return { sentinels, toggles, variants };
}
