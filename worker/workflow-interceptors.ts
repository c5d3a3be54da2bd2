/**
 * Workflow interceptor modules the case workflows run with. One list for both ways the plugin loads its
 * workflows: the prebuilt bundle (`npm run build` bundles these in; a prebuilt bundle ignores interceptors
 * given later) and the TypeScript sources (the plugin hands them to the worker's bundler). Modules live
 * outside workflows/ and are exempt from nothing: they run inside the workflow sandbox (eslint.config.mjs
 * holds them to the determinism rule, with the one exemption each needs).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A module beside this file: its TypeScript source, or its compiled JavaScript in a build. */
function moduleBesideThis(name: string): string {
  for (const extension of ['.ts', '.js']) {
    const candidate = path.join(__dirname, `${name}${extension}`);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cs-cases workflow interceptor module ${name} not found beside ${__dirname}`);
}

export const CASES_WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [
  // Case tracing: spans of runs, handlers and scheduled activities, engaged by a traced start or Update.
  moduleBesideThis('tracing/workflow-spans'),
];
