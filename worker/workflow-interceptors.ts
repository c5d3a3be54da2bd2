/**
 * Workflow interceptor modules the case workflows run with. One list for both ways the plugin loads its
 * workflows: the prebuilt bundle (`npm run build` bundles these in; a prebuilt bundle ignores interceptors
 * given later) and the TypeScript sources (the plugin hands them to the worker's bundler). Modules live
 * outside workflows/ and are exempt from nothing: they run inside the workflow sandbox.
 */
export const CASES_WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [];
