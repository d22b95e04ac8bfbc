import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/.data/**', 'test-results/**', '**/next-env.d.ts', 'apps/api/drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Effects after commit: only inTransaction (apps/api/src/services/transaction.ts) wakes the mail
    // sender or publishes revocations, so no service can forget either; server.ts wires the publisher.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/services/transaction.ts', 'apps/api/src/server.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='kick']",
          message: 'Queue mail with enqueueMail inside inTransaction (services/transaction.ts): it wakes the sender after the commit.',
        },
        {
          selector: "MemberExpression[property.name='publishRevocations']",
          message: 'Write revocations with recordRevocations inside inTransaction (services/transaction.ts): it publishes them after the commit.',
        },
      ],
    },
  },
  {
    // Services are the layer below HTTP: cookies, Express requests and responses stay in apps/api/src/http.
    files: ['apps/api/src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../http/*', '../../http/*', '../../../http/*', '**/http/**'],
              message: 'Services do not import the HTTP layer (apps/api/src/http); put cookie and request handling there.',
            },
          ],
        },
      ],
    },
  },
  {
    // Type-aware rules (issue 11): a promise nobody awaits loses its rejection (an unhandled error
    // or a response sent twice), so every one is awaited, returned or marked `void` on purpose.
    files: ['apps/api/**/*.ts', 'packages/**/*.ts', 'apps/web/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  {
    // Production API code narrows instead of asserting: a `!` that is wrong fails far from its cause.
    files: ['apps/api/src/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
  },
  {
    files: ['**/test/**', '**/e2e/**', 'packages/testing/**', 'bench/**', 'scripts/**', '**/cli.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
