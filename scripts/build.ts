/**
 * `npm run build`: compiles the package to dist/ (JavaScript, type declarations, source maps) and
 * prebuilds the workflow bundle with the workflow interceptor modules, so an installed plugin never
 * bundles at start-up and never needs TypeScript. Runs before `npm pack`.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { CASES_WORKFLOW_INTERCEPTOR_MODULES } from '../worker/workflow-interceptors';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

async function main(): Promise<void> {
  const started = Date.now();
  await fs.rm(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(root, 'workflows', 'index.ts'),
    workflowInterceptorModules: [...CASES_WORKFLOW_INTERCEPTOR_MODULES],
    logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error, log: () => undefined },
  });
  await fs.writeFile(path.join(dist, 'workflow-bundle.js'), code);
  for (const bin of ['worker/main.js', 'api/main.js', 'worker/replay-check.js']) await fs.chmod(path.join(dist, bin), 0o755);
  console.log(`Built dist/ with the workflow bundle (${(code.length / 1024).toFixed(0)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error('build failed:', err);
  process.exit(1);
});
