// Layering is enforced here, as errors (STYLE.md "Folders say where code runs"):
//   src/engine   no electron, no DOM, no renderer/main/preload/cli
//   src/shared   types and schemas only: imports nothing from the app but itself (and zod)
//   src/renderer reaches the engine only through src/shared
//   src/main, src/preload are the only places that import electron
import tseslint from 'typescript-eslint';

const electronBan = {
  name: 'electron',
  message: 'Only src/main and src/preload may import electron.',
};
const layer = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'coverage/**', '**/*.svelte', 'resources/**', 'tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/cli/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [
          layer(['**/renderer/**', '**/main/**', '**/preload/**'], 'The engine does not reach into the desktop shell or UI.'),
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'HTMLElement'],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [
          layer(['**/renderer/**', '**/main/**', '**/preload/**', '**/cli/**'], 'The engine imports neither the shell, the UI nor the CLI.'),
        ],
      }],
    },
  },
  {
    // A stage never runs another's orchestration (docs/pipeline.md): the hunt and the export read
    // what training and ingest left in the store, and only src/engine/case starts stages. Repeats
    // the engine's patterns because a later block replaces the rule's options, not adds to them.
    files: ['src/engine/hunt/**/*.ts', 'src/engine/report/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [
          layer(['**/renderer/**', '**/main/**', '**/preload/**', '**/cli/**'], 'The engine imports neither the shell, the UI nor the CLI.'),
          layer(['**/jobs/**', '**/case/**'], 'Stages read the store; only src/engine/case runs stages (docs/pipeline.md).'),
        ],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [layer(['**/engine/**', '**/renderer/**', '**/main/**', '**/preload/**', '**/cli/**', 'better-sqlite3', '@tensorflow/*', 'node:*'], 'src/shared is the contract: types and schemas only.')],
      }],
    },
  },
  {
    files: ['src/renderer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [layer(['**/engine/**', '**/main/**', '**/preload/**', '**/cli/**', 'better-sqlite3', '@tensorflow/*', 'node:*'], 'The renderer reaches the engine only through src/shared.')],
      }],
    },
  },
  {
    files: ['vitest.config.ts', 'electron.vite.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
