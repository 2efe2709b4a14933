// Lint: ESLint's recommended rules plus typescript-eslint's, strict about `any` in the
// product code; tests and benchmarks may use `any` for payloads they inspect.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'src/generated/', '.data/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['web/src/**', 'web/widget/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-console': 'off' },
  },
  // The channel contract (docs/ARCHITECTURE.md, "Channels"): a connector reaches the inbox only
  // through src/inbox/channels/contract.ts, and nothing but src/app.ts (which wires them in)
  // imports a connector.
  {
    files: ['src/connectors/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '(^|/)inbox/(?!channels/contract(\\.[jt]s)?$)',
          message: 'A connector reaches the inbox only through src/inbox/channels/contract.ts (add a port there).',
        }],
      }],
    },
  },
  {
    files: ['src/**', 'web/**'],
    ignores: ['src/connectors/**', 'src/app.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)connectors(/|$)', message: 'Only src/app.ts wires connectors in; the inbox knows them through src/inbox/channels/contract.ts.' }],
      }],
    },
  },
  // Command-line programs talk to a person on the terminal.
  { files: ['src/main.ts', 'src/**/*-cli.ts'], rules: { 'no-console': 'off' } },
);
