// Lint rules, including the dependency zones of STYLE.md: constructs import nothing of ours, the UI
// never imports the API, and only api/k8s (plus the apply benchmark's floor) talks to the cluster
// through @kubernetes/client-node. Tests may not be skipped, focused or left as todos.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const clientNode = {
  name: '@kubernetes/client-node',
  message: 'Only api/k8s talks to the cluster (STYLE.md §10); go through its exports.',
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'runner-node/dist/', 'build/', '.tsbuild/', 'scratch/', 'test-results/', 'constructs/imports/', 'ui/dist/', '**/*.d.ts'],
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
    files: ['ui/**/*.ts', 'ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [clientNode],
        patterns: [{ group: ['**/api/**', '**/cluster/**'], message: 'The UI reaches the API over HTTP only.' }],
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
