/**
 * What the database explorer lets a filter, sort or projection contain. Operators that run code on
 * the server (`$where`, `$function`, `$accumulator`) are refused wherever they appear, `$expr` and
 * nested documents included; so are documents nested absurdly deep or over a size bound. Pure: the
 * explorer parses Extended JSON first and asks here.
 */
const codeOperators = new Set(['$where', '$function', '$accumulator']);
const maxDepth = 30;

/** Why `value` may not be sent to the server, or undefined when it may. */
export function queryProblem(value: unknown, where: string): string | undefined {
  const visit = (node: unknown, depth: number, path: string): string | undefined => {
    if (depth > maxDepth) return `${where} nests deeper than ${maxDepth} levels`;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) {
        const problem = visit(item, depth + 1, `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    if (node === null || typeof node !== 'object') return undefined;
    // BSON values (ObjectId, Date, Decimal128…) are leaves.
    if ((node as { _bsontype?: unknown })._bsontype !== undefined || node instanceof Date) return undefined;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (codeOperators.has(key)) return `${where} uses ${key} at ${path || 'the top'}, which runs code on the database server; the explorer does not run code`;
      const problem = visit(child, depth + 1, path ? `${path}.${key}` : key);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(value, 0, '');
}
