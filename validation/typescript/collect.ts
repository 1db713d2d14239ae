/**
 * Facts from one module's syntax tree (typescript-estree's ESTree): what it imports, which escape hatches it
 * references, and what its default export is. Pure: the tree in, plain data out, positions as editors
 * count them (1-based lines and columns, end exclusive).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Span } from '../findings.js';
import type { AppBinding, DefaultExport, ModuleImport, ScriptReference } from './facts.js';

type Node = TSESTree.Node;

export function spanOf(node: { loc: TSESTree.SourceLocation }): Span {
  return { line: node.loc.start.line, column: node.loc.start.column + 1, endLine: node.loc.end.line, endColumn: node.loc.end.column + 1 };
}

/** Every node below `root`, parents before children. */
function* walk(root: Node): Generator<Node> {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    yield node;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent' || key === 'loc' || key === 'range' || value === null || typeof value !== 'object') continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child: unknown = value[i];
          if (child && typeof child === 'object' && typeof (child as { type?: unknown }).type === 'string') stack.push(child as Node);
        }
      } else if (typeof (value as { type?: unknown }).type === 'string') {
        stack.push(value as Node);
      }
    }
  }
}

/** Packages whose constructors make a Hono app. */
const honoModules: Record<string, readonly string[]> = { hono: ['Hono'], 'hono/tiny': ['Hono'], 'hono/quick': ['Hono'], '@hono/zod-openapi': ['OpenAPIHono'] };
const nativeProcess = new Set(['binding', '_linkedBinding', 'dlopen']);

function literalString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

function unwrap(node: Node): Node {
  let current = node;
  while (current.type === 'TSAsExpression' || current.type === 'TSSatisfiesExpression' || current.type === 'TSNonNullExpression' || current.type === 'TSTypeAssertion') {
    current = current.expression;
  }
  return current;
}

export interface CollectedFacts {
  readonly imports: ModuleImport[];
  readonly references: ScriptReference[];
  readonly defaultExport: DefaultExport | null;
  readonly appBindings: AppBinding[];
}

export function collectFacts(program: TSESTree.Program): CollectedFacts {
  const imports: ModuleImport[] = [];
  const references: ScriptReference[] = [];
  const declared = new Set<string>();
  /** Local names bound to Hono's app classes by an import. */
  const honoClasses = new Set<string>();
  /** Module-level `const x = …` initialisers, by name. */
  const topLevel = new Map<string, { init: Node | null; node: Node; kind: 'variable' | 'function' | 'class' | 'import' }>();

  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      const constructors = honoModules[statement.source.value] ?? [];
      for (const specifier of statement.specifiers) {
        topLevel.set(specifier.local.name, { init: null, node: specifier, kind: 'import' });
        const imported = specifier.type === 'ImportSpecifier' && specifier.imported.type === 'Identifier' ? specifier.imported.name : undefined;
        if (imported && constructors.includes(imported)) honoClasses.add(specifier.local.name);
      }
    }
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier') topLevel.set(declarator.id.name, { init: declarator.init, node: declarator, kind: 'variable' });
      }
    } else if ((declaration?.type === 'FunctionDeclaration' || declaration?.type === 'ClassDeclaration') && declaration.id) {
      topLevel.set(declaration.id.name, { init: null, node: declaration, kind: declaration.type === 'FunctionDeclaration' ? 'function' : 'class' });
    }
  }

  /** Whether `node` makes a Hono app: `new Hono()`, and calls chained on one (`new Hono().basePath('/api')`). */
  const makesHono = (node: Node | null): boolean => {
    if (!node) return false;
    const value = unwrap(node);
    if (value.type === 'NewExpression') return value.callee.type === 'Identifier' && honoClasses.has(value.callee.name);
    if (value.type === 'CallExpression' && value.callee.type === 'MemberExpression') return makesHono(value.callee.object);
    return false;
  };

  for (const node of walk(program)) {
    switch (node.type) {
      case 'ImportDeclaration':
        imports.push({ specifier: node.source.value, kind: 'static', typeOnly: node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type')), ...spanOf(node) });
        break;
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
        if (node.source) imports.push({ specifier: node.source.value, kind: 'static', typeOnly: node.exportKind === 'type', ...spanOf(node) });
        break;
      case 'ImportExpression': {
        const specifier = literalString(node.source);
        if (specifier !== undefined) imports.push({ specifier, kind: 'dynamic', typeOnly: false, ...spanOf(node) });
        else references.push({ name: 'import()', kind: 'computed-import', ...spanOf(node) });
        break;
      }
      case 'TSImportEqualsDeclaration':
        if (node.moduleReference.type === 'TSExternalModuleReference') {
          imports.push({ specifier: node.moduleReference.expression.value, kind: 'require', typeOnly: node.importKind === 'type', ...spanOf(node) });
        }
        break;
      case 'CallExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          references.push({ name: 'require', kind: 'require', ...spanOf(node) });
        } else if (node.callee.type === 'Identifier' && node.callee.name === 'Function') {
          references.push({ name: 'Function', kind: 'function-constructor', ...spanOf(node) });
        }
        break;
      case 'NewExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'Function') references.push({ name: 'Function', kind: 'function-constructor', ...spanOf(node) });
        break;
      case 'MemberExpression':
        if (node.object.type === 'Identifier' && node.object.name === 'process' && !node.computed && node.property.type === 'Identifier' && nativeProcess.has(node.property.name)) {
          references.push({ name: `process.${node.property.name}`, kind: 'native', ...spanOf(node) });
        }
        break;
      case 'Identifier':
        if (node.name === 'eval') references.push({ name: 'eval', kind: 'eval', ...spanOf(node) });
        break;
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier') declared.add(node.id.name);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.type !== 'ArrowFunctionExpression' && node.id) declared.add(node.id.name);
        for (const param of node.params) if (param.type === 'Identifier') declared.add(param.name);
        break;
      case 'ImportSpecifier':
      case 'ImportDefaultSpecifier':
      case 'ImportNamespaceSpecifier':
        declared.add(node.local.name);
        break;
      default:
        break;
    }
  }

  // A name the module defines itself is its own, not the global escape hatch (`const require = …`).
  const own = references.filter((r) => (r.kind === 'eval' || r.kind === 'require' || r.kind === 'function-constructor') ? !declared.has(r.name) : true);
  return { imports, references: dropPropertyNames(own, program), defaultExport: defaultExportOf(program, topLevel, makesHono), appBindings: appBindings(topLevel, makesHono) };
}

/** `obj.eval` and `{ eval: 1 }` name a property, not the global `eval`. */
function dropPropertyNames(references: ScriptReference[], program: TSESTree.Program): ScriptReference[] {
  const properties = new Set<string>();
  for (const node of walk(program)) {
    if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' && node.property.name === 'eval') properties.add(`${node.property.loc.start.line}:${node.property.loc.start.column}`);
    if ((node.type === 'Property' || node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') && !node.computed && node.key.type === 'Identifier' && node.key.name === 'eval') {
      properties.add(`${node.key.loc.start.line}:${node.key.loc.start.column}`);
    }
  }
  return references.filter((r) => r.kind !== 'eval' || !properties.has(`${r.line}:${(r.column ?? 1) - 1}`));
}

type TopLevel = Map<string, { init: Node | null; node: Node; kind: 'variable' | 'function' | 'class' | 'import' }>;

function judge(value: Node, topLevel: TopLevel, makesHono: (node: Node | null) => boolean, seen = new Set<string>()): Omit<DefaultExport, keyof Span> {
  const node = unwrap(value);
  if (makesHono(node)) return { verdict: 'app', framework: 'hono' };
  switch (node.type) {
    case 'Identifier': {
      const binding = topLevel.get(node.name);
      if (!binding || seen.has(node.name)) return { verdict: 'unknown', framework: null };
      if (binding.kind === 'import') return { verdict: 'unknown', framework: null };
      if (binding.kind === 'function') return { verdict: 'not-app', framework: null, what: `the function \`${node.name}\`` };
      if (binding.kind === 'class') return { verdict: 'not-app', framework: null, what: `the class \`${node.name}\`` };
      return binding.init ? judge(binding.init, topLevel, makesHono, new Set([...seen, node.name])) : { verdict: 'unknown', framework: null };
    }
    case 'ObjectExpression': {
      const fetch = node.properties.some((p) => p.type === 'Property' && !p.computed && ((p.key.type === 'Identifier' && p.key.name === 'fetch') || (p.key.type === 'Literal' && p.key.value === 'fetch')));
      const spread = node.properties.some((p) => p.type === 'SpreadElement');
      if (fetch) return { verdict: 'app', framework: null };
      return spread ? { verdict: 'unknown', framework: null } : { verdict: 'not-app', framework: null, what: 'an object without a fetch method' };
    }
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'FunctionDeclaration':
      return { verdict: 'not-app', framework: null, what: 'a function' };
    case 'ClassExpression':
    case 'ClassDeclaration':
      return { verdict: 'not-app', framework: null, what: 'a class' };
    case 'Literal':
    case 'TemplateLiteral':
    case 'ArrayExpression':
      return { verdict: 'not-app', framework: null, what: node.type === 'ArrayExpression' ? 'an array' : `the value ${node.type === 'Literal' ? String(node.raw) : 'of a template string'}` };
    default:
      return { verdict: 'unknown', framework: null };
  }
}

function defaultExportOf(program: TSESTree.Program, topLevel: TopLevel, makesHono: (node: Node | null) => boolean): DefaultExport | null {
  for (const statement of program.body) {
    if (statement.type === 'ExportDefaultDeclaration') {
      const { declaration } = statement;
      if (declaration.type === 'TSInterfaceDeclaration' || declaration.type === 'TSDeclareFunction') continue;
      return { ...judge(declaration as Node, topLevel, makesHono), ...spanOf(statement) };
    }
    if (statement.type === 'ExportNamedDeclaration' && statement.exportKind !== 'type') {
      const specifier = statement.specifiers.find((s) => s.exported.type === 'Identifier' ? s.exported.name === 'default' : s.exported.value === 'default');
      if (!specifier) continue;
      // `export { default } from './app.js'` re-exports another module's: the runner judges it.
      if (statement.source || specifier.local.type !== 'Identifier') return { verdict: 'unknown', framework: null, ...spanOf(statement) };
      return { ...judge(specifier.local, topLevel, makesHono), ...spanOf(statement) };
    }
    if (statement.type === 'ExportAllDeclaration' && statement.exported === null) continue;
  }
  return null;
}

function appBindings(topLevel: TopLevel, makesHono: (node: Node | null) => boolean): AppBinding[] {
  const found: AppBinding[] = [];
  for (const [name, binding] of topLevel) if (binding.kind === 'variable' && makesHono(binding.init)) found.push({ name, ...spanOf(binding.node) });
  return found;
}
