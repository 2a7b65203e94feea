import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'dist-bench', 'node_modules', 'test-results', 'playwright-report', '**/*.tmp.ts', 'assembly'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The ML core runs in workers, Node tests and benchmarks: no UI, no worker bridge, no DOM.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'uplot'], message: 'src/core must not depend on the UI.' },
            { group: ['**/ui/**', '**/worker/**'], message: 'src/core must not import the UI or the worker bridge.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'self', 'localStorage', 'indexedDB'],
    },
  },
);
