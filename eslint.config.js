import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tally/**', 'coverage/**', 'demo-data/**', 'test/fixtures/**'] },
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
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/bot/**', '**/connectors/**', '**/cli/**'] },
      ],
    },
  },
  {
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/bot/**', '**/cli/**'] }],
    },
  },
  {
    files: ['bot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/cli/**', '**/connectors/**'] }],
    },
  },
);
