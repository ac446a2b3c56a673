// Type-aware lint, plus the process boundaries of DESIGN.md as rules:
// only src/main/shell (and the preload) may import electron; src/shared imports no Node, DOM or
// program code; the renderer reaches main only through the ConsoleBridge.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnlyInShell = {
  name: 'electron',
  message: 'Only files under src/main/shell/ (and the preload) may import electron; implement a core interface there.',
};
const programFolders = (...names) => names.map((n) => `**/${n}/**`);

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'reports/**', 'test-results/**', '.tools/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/main/shell/**', 'src/preload/**', 'test/**', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell, ...nodeBuiltins.map((name) => ({ name, message: 'src/shared runs everywhere: no Node modules.' }))],
          patterns: [
            {
              group: ['ws', 'better-sqlite3', 'keytar', 'react', 'react-dom', 'pino', ...programFolders('relay', 'main', 'renderer', 'simulator', 'preload')],
              message: 'src/shared is imported by every program and imports none of them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is browser code.' }))],
          patterns: [
            {
              group: ['ws', 'better-sqlite3', 'keytar', 'pino', ...programFolders('relay', 'main', 'simulator', 'preload')],
              message: 'The renderer reaches main only through the ConsoleBridge.',
            },
          ],
        },
      ],
    },
  },
  ...[
    ['src/relay/**', 'simulator'],
    ['src/simulator/**', 'relay'],
  ].map(([files, other]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: programFolders('main', 'renderer', 'preload', other),
              message: 'The relay and the simulator are separate programs: they meet only over HTTP.',
            },
          ],
        },
      ],
    },
  })),
);
