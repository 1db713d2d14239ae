/**
 * The platform config's shape as the Helm generator needs it, read from the zod schema's JSON Schema:
 * every leaf value (a path Helm templates as `.Values.<path>`) and every toggle (an optional object or
 * field, or a list that may be empty) that changes which objects and fields the chart writes.
 */
import { z } from 'zod';
import { platformConfigSchema } from '../config.js';

export interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  additionalProperties?: boolean;
  [key: string]: unknown;
}

export type Path = readonly string[];

export interface Leaf {
  readonly path: Path;
  readonly type: 'string' | 'integer' | 'list';
  readonly schema: JsonSchema;
}

export interface Toggle {
  readonly path: Path;
  /** `optional`: set or not (an object may also be empty); `list`: empty or not. */
  readonly kind: 'optional' | 'list';
}

/** The JSON Schema of what operators write (defaults not yet applied), draft-07 as Helm 3 reads it. */
export function configJsonSchema(): JsonSchema {
  return z.toJSONSchema(platformConfigSchema, { target: 'draft-7', io: 'input' }) as JsonSchema;
}

export function configShape(schema = configJsonSchema()): { leaves: Leaf[]; toggles: Toggle[] } {
  const leaves: Leaf[] = [];
  const toggles: Toggle[] = [];
  const walk = (node: JsonSchema, path: Path): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const at = [...path, key];
      if (child.default === undefined && !(node.required ?? []).includes(key)) toggles.push({ path: at, kind: 'optional' });
      if (child.type === 'object') walk(child, at);
      else if (child.type === 'array') {
        if (child.items?.type !== 'string') throw new Error(`${at.join('.')}: only lists of strings can be templated`);
        leaves.push({ path: at, type: 'list', schema: child });
        toggles.push({ path: at, kind: 'list' });
      } else if (child.type === 'string' || child.type === 'integer') leaves.push({ path: at, type: child.type, schema: child });
      else throw new Error(`${at.join('.')}: a ${String(child.type)} value cannot be templated yet`);
    }
  };
  walk(schema, []);
  return { leaves, toggles };
}

export function getPath(value: unknown, path: Path): unknown {
  let at = value;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

export function setPath(target: Record<string, unknown>, path: Path, value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1] as string] = value;
}
