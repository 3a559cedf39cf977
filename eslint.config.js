// Lint: recommended JS/TS rules plus Dovetail's layering rule (eslint-rules/layering.js); layout is Prettier's
// (eslint-config-prettier turns off the rules that would disagree with it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { layering } from './eslint-rules/layering.js';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'bench/.cache/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
      '**/*.cjs',
      'tools/**/*.py',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { dovetail: { rules: { layering } } },
    rules: {
      'dovetail/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['scripts/**', 'bin/**', 'eslint-rules/**', '*.config.js', 'tools/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  prettier,
);
