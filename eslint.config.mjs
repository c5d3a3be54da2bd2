// Lint rules. The workflows block enforces Temporal's determinism rule: workflow code may import only
// @temporalio/workflow, @temporalio/common, pure local modules and activity *types*. The workflow
// interceptor modules run in the same sandbox and get the same rule, with their exemption stated below.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'crypto', 'os', 'http', 'https', 'net', 'child_process', 'worker_threads', 'timers', 'process', 'util', 'stream', 'events', 'dns', 'url'];
// What code running in the workflow sandbox may not import: workflows/ and the workflow interceptor modules.
const sandboxPaths = nodeBuiltins.flatMap((name) => [name, `node:${name}`]).map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' }));
const sandboxPatterns = [
  { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing', '@temporalio/plugin'], message: 'Workflows import only @temporalio/workflow and @temporalio/common.' },
  { group: ['fastify', 'fastify-*', '@fastify/*', 'pino', 'zod'], message: 'Workflows stay free of I/O and edge libraries.' },
  { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities as types only.' },
];

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
        paths: sandboxPaths,
        patterns: [
          ...sandboxPatterns,
          { group: ['**/api/**', '**/worker/**'], message: 'Workflows never import the edge or the worker.' },
          { group: ['@temporalio/interceptors-opentelemetry', '@temporalio/interceptors-opentelemetry/**', '@opentelemetry/*'], message: 'Tracing reaches workflows through the interceptor module (worker/tracing/workflow-spans.ts), never from workflow code.' },
        ],
      }],
    },
  },
  {
    // The workflow interceptor modules (worker/workflow-interceptors.ts lists them) are bundled into the
    // workflow code and run in the sandbox, so the determinism rule holds for them too, with ONE explicit
    // exemption: the tracing module may import the SDK's OpenTelemetry workflow interceptors, through their
    // sandbox entry points only (lib/workflow, whose imports the workflow bundler wires to
    // @temporalio/workflow, and lib/instrumentation); the package root would drag in worker and client code.
    files: ['worker/tracing/workflow-spans.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: sandboxPaths,
        patterns: [
          ...sandboxPatterns,
          { group: ['**/api/**', '**/worker/**', '../*', './*'], message: 'An interceptor module stays self-contained: nothing of the edge, the worker or the plugin.' },
          {
            regex: '^(@temporalio/interceptors-opentelemetry(?!/lib/(workflow|instrumentation)$)|@opentelemetry/)',
            message: 'Exempt are only the in-sandbox entry points of the OpenTelemetry interceptors: @temporalio/interceptors-opentelemetry/lib/workflow and lib/instrumentation.',
          },
        ],
      }],
    },
  },
);
