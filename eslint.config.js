import tseslint from 'typescript-eslint';
import { layersPlugin } from './eslint.layers.js';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tally/**',
      'coverage/**',
      'demo-data/**',
      'dist/**',
      'test/fixtures/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals (STYLE.md 10).' },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { layers: layersPlugin() },
    rules: { 'layers/import-direction': 'error' },
  },
);
