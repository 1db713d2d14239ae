// Lint rules, including the dependency zones of STYLE.md: constructs import nothing of ours, the UI
// and the CLI never import the API (they share contract/, and import its zod schemas as types only),
// and only api/k8s (plus the apply benchmark's floor) talks to the cluster
// through @kubernetes/client-node. Tests may not be skipped, focused or left as todos.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const clientNode = {
  name: '@kubernetes/client-node',
  message: 'Only api/k8s talks to the cluster (STYLE.md §10); go through its exports.',
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'build/', '.tsbuild/', 'scratch/', 'test-results/', 'constructs/imports/', 'ui/dist/', 'cli/dist/', 'runner-node/dist/', '**/*.d.ts',
      // Browser scripts the runner serves to users' pages as they are (htmx and friends, VENDOR.md): not our TypeScript.
      'runner/_platform_runner/vendor/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-imports': ['error', { paths: [clientNode] }],
    },
  },
  {
    // fp's launcher and build script are plain JavaScript run by Node.
    files: ['cli/bin/*.js', 'cli/*.mjs'],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['api/k8s/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['constructs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [clientNode, 'mongodb', 'koa'],
        patterns: [{ group: ['**/api/**', '**/ui/**', '**/cluster/**', '**/cli/**'], message: 'constructs depend on nothing of ours.' }],
      }],
    },
  },
  {
    // The validator's core runs in the browser too; only node.ts and engines/ may use Node.
    files: ['validation/**/*.ts'],
    ignores: ['validation/node.ts', 'validation/engines/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [clientNode],
        patterns: [{ group: ['node:*', '**/api/**', '**/ui/**'], message: 'validation/ core must stay browser-safe and depend on nothing of ours.' }],
      }],
    },
  },
  {
    // The HTTP contract is shared by the API, the UI and the CLI: browser-safe, depending only on the validator's core.
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [clientNode, 'mongodb', 'koa'],
        patterns: [
          { group: ['node:*', '**/api/**', '**/ui/**', '**/cli/**', '**/cluster/**', '**/constructs/**'], message: 'contract/ is shared by the API, the UI and the CLI; it depends on nothing of theirs.' },
          { group: ['**/validation/node*', '**/validation/engines/**'], message: 'Only the validator\'s browser-safe core (validation/index.ts).' },
        ],
      }],
    },
  },
  {
    files: ['ui/**/*.ts', 'ui/**/*.tsx'],
    ignores: ['ui/vite.config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [clientNode, { name: 'zod', allowTypeImports: true, message: 'The UI imports schemas as types only: zod stays out of its bundle.' }],
        patterns: [
          { group: ['**/api/**', '**/cluster/**', '**/cli/**', '**/constructs/**'], message: 'The UI reaches the API over HTTP only, through contract/.' },
          { group: ['**/contract/schemas', '**/contract/schemas/**'], allowTypeImports: true, message: 'The UI imports schemas as types only: zod stays out of its bundle.' },
          { group: ['**/validation/node*', '**/validation/engines/**'], message: 'Only the validator\'s browser-safe core (validation/index.ts).' },
        ],
      }],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [clientNode, 'mongodb', 'koa', { name: 'zod', allowTypeImports: true, message: 'The CLI imports schemas as types only.' }],
        patterns: [
          { group: ['**/api/**', '**/ui/**', '**/cluster/**', '**/constructs/**'], message: 'The CLI reaches the API over HTTP only, through contract/.' },
          { group: ['**/contract/schemas', '**/contract/schemas/**'], allowTypeImports: true, message: 'The CLI imports schemas as types only.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests dig into synthesized and live manifests, whose shapes are the subject under test.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[object.name='test'][property.name=/^(skip|only|todo|failing)$/]",
        message: 'Every test runs and counts: no skip, only, todo or failing.',
      }],
    },
  },
);
