import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Known shortcomings must name their issue: TODO(#12): reason.
const issueMarks = {
  rules: {
    'todo-needs-issue': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        return {
          Program() {
            for (const comment of context.sourceCode.getAllComments()) {
              const bare = /\b(TODO|FIXME|XXX)\b(?!\(#\d+\))/.exec(
                comment.value,
              );
              if (bare) {
                context.report({
                  loc: comment.loc,
                  message: `${bare[1]} must name its issue: ${bare[1]}(#N): reason`,
                });
              }
            }
          },
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/data/**',
      'apps/api/src/db/generated/**',
      'apps/api/src/generated/**',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX, rollcall: issueMarks },
    settings: {
      'import-x/resolver-next': [
        importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] }),
      ],
    },
    rules: {
      // `any` hides exactly the mistakes a type checker exists to find.
      '@typescript-eslint/no-explicit-any': 'error',
      // Type-only imports vanish at runtime; marking them keeps cycles honest.
      '@typescript-eslint/consistent-type-imports': 'error',
      // Underscore-prefixed names are deliberately unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Import cycles between modules make initialisation order fragile.
      'import-x/no-cycle': 'error',
      // App code logs through the injected pino logger.
      'no-console': 'error',
      'rollcall/todo-needs-issue': 'error',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // Stale closures in effects are the most common React bug.
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['**/scripts/**', '**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
