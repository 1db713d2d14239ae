/**
 * The app's own OpenAPI document, read for the HTTP explorer: its operations, their path and query
 * parameters, and a JSON body skeleton from the request schema ($ref, allOf/anyOf/oneOf, enums,
 * defaults and examples followed); plus building a request path and choosing a Content-Type. Pure.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description: string;
  /** An example value to start from, as text. */
  readonly example: string;
}

export interface Operation {
  /** "post /items/{item_id}" */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly parameters: readonly Parameter[];
  /** A JSON body to start from, pretty-printed; null when the operation takes no JSON body. */
  readonly body: string | null;
}

const methods = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` ("#/components/schemas/Item"); anything else is returned as it is. */
function resolve(doc: Schema, value: unknown, seen: ReadonlySet<string> = new Set()): Schema {
  if (!isObject(value)) return {};
  const ref = value.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || seen.has(ref)) return value;
  let target: unknown = doc;
  for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return resolve(doc, target, new Set([...seen, ref]));
}

/** A value of the schema's shape: its example or default when it has one, else a placeholder. */
export function skeleton(doc: Schema, raw: unknown, depth = 0, seen: ReadonlySet<string> = new Set()): Json {
  const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : null;
  if (ref && seen.has(ref)) return null;
  const schema = resolve(doc, raw);
  const nextSeen = ref ? new Set([...seen, ref]) : seen;
  if (schema.example !== undefined) return schema.example as Json;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0] as Json;
  if (schema.default !== undefined) return schema.default as Json;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as Json;
  if (schema.const !== undefined) return schema.const as Json;
  if (depth > 6) return null;
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options) || options.length === 0) continue;
    if (key === 'allOf') {
      const merged: Record<string, Json> = {};
      for (const part of options) {
        const value = skeleton(doc, part, depth + 1, nextSeen);
        if (isObject(value)) Object.assign(merged, value);
      }
      return merged;
    }
    // Optional[X] is anyOf [X, null]: the first choice that is not null.
    const choice = options.find((o) => resolve(doc, o).type !== 'null') ?? options[0];
    return skeleton(doc, choice, depth + 1, nextSeen);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const properties = isObject(schema.properties) ? schema.properties : {};
      for (const [name, property] of Object.entries(properties)) out[name] = skeleton(doc, property, depth + 1, nextSeen);
      return out;
    }
    case 'array': return [skeleton(doc, schema.items, depth + 1, nextSeen)];
    case 'integer': return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'number': return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean': return false;
    case 'string': return schema.format === 'date-time' ? new Date(0).toISOString() : schema.format === 'date' ? '1970-01-01' : schema.format === 'uuid' ? '00000000-0000-0000-0000-000000000000' : 'string';
    case 'null': return null;
    default: return isObject(schema.properties) ? skeleton(doc, { ...schema, type: 'object' }, depth, nextSeen) : null;
  }
}

function parameter(doc: Schema, raw: unknown): Parameter | null {
  const p = resolve(doc, raw);
  if (typeof p.name !== 'string' || !['path', 'query', 'header'].includes(String(p.in))) return null;
  const value = p.example !== undefined ? p.example : skeleton(doc, p.schema);
  const example = value === null || value === 'string' ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return {
    name: p.name, in: p.in as Parameter['in'], required: p.in === 'path' || p.required === true,
    description: typeof p.description === 'string' ? p.description : '', example: p.in === 'query' && p.required !== true ? '' : example,
  };
}

/** Every operation of the document, in its order; an unreadable document gives none. */
export function operationsOf(doc: unknown): Operation[] {
  if (!isObject(doc) || !isObject(doc.paths)) return [];
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = resolve(doc, rawItem);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of methods) {
      const op = item[method];
      if (!isObject(op)) continue;
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      const byKey = new Map<string, Parameter>();
      for (const raw of [...shared, ...own]) {
        const p = parameter(doc, raw);
        if (p) byKey.set(`${p.in}:${p.name}`, p);
      }
      const content = isObject(resolve(doc, op.requestBody).content) ? resolve(doc, op.requestBody).content as Schema : {};
      const json = Object.entries(content).find(([type]) => /json/i.test(type));
      const body = json && isObject(json[1]) ? JSON.stringify(skeleton(doc, (json[1] as Schema).schema), null, 2) : null;
      operations.push({
        key: `${method} ${path}`, method: method.toUpperCase(), path,
        summary: typeof op.summary === 'string' ? op.summary : typeof op.operationId === 'string' ? op.operationId : '',
        parameters: [...byKey.values()], body,
      });
    }
  }
  return operations;
}

/** "/items/{item_id}" with {item_id: "7"} and query {q: "a b"} → "/items/7?q=a+b" (empty query values left out). */
export function buildPath(template: string, values: Readonly<Record<string, string>>, query: Readonly<Record<string, string>>): string {
  const path = template.replace(/\{([^}]+)\}/g, (whole, name: string) => (values[name] ? encodeURIComponent(values[name]) : whole));
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** The Content-Type a body needs when the person set none: JSON when it parses as JSON, else plain text. */
export function contentTypeFor(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}
