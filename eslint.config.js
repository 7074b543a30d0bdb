// Lint for ablate (issue 14): typescript-eslint's recommended rules, without type information so
// the whole repository lints in seconds. Unused variables are errors; a leading `_` marks one
// that is unused on purpose (a callback's position, a destructured field left out).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'results/', 'notebooks/', 'trainers/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'tests/**/*.{ts,mjs}', 'bench/**/*.ts', 'scripts/**/*.ts', '*.{js,ts}'],
    languageOptions: {
      // Node 20 globals for the plain-JS files (TypeScript checks the .ts ones itself).
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // Tests edit parsed sweep files and fixtures as loose JSON; typing each path buys nothing there.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
