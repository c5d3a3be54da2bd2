// Lint rules. The workflows block enforces Temporal's determinism rule: workflow code may import only
// @temporalio/workflow, @temporalio/common, pure local modules and activity *types*.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'crypto', 'os', 'http', 'https', 'net', 'child_process', 'worker_threads', 'timers', 'process', 'util', 'stream', 'events', 'dns', 'url'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON answers loosely; production code stays typed.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.flatMap((name) => [name, `node:${name}`]).map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
        ],
        patterns: [
          { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing', '@temporalio/plugin'], message: 'Workflows import only @temporalio/workflow and @temporalio/common.' },
          { group: ['fastify', 'fastify-*', '@fastify/*', 'pino', 'zod'], message: 'Workflows stay free of I/O and edge libraries.' },
          { group: ['**/api/**', '**/worker/**'], message: 'Workflows never import the edge or the worker.' },
          { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities as types only.' },
        ],
      }],
    },
  },
);
