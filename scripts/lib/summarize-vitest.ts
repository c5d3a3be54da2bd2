/**
 * Prints the closing line CI reads, `N passed, M failed[, K skipped]`, from vitest's JSON report, and exits
 * non-zero when anything failed. Usage: summarize-vitest <report.json> <vitest exit code>.
 * A file that failed to load, or a vitest that failed with every test green (an unhandled error, a global
 * setup failure), counts as one failure: the line never says green when the run was not.
 */
import { readFileSync } from 'node:fs';

interface VitestJsonReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { name?: string; status?: string; message?: string; assertionResults?: { status?: string }[] }[];
}

function summarize(reportPath: string, vitestExitCode: number): number {
  let report: VitestJsonReport;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as VitestJsonReport;
  } catch {
    console.log(`No readable vitest report at ${reportPath} (vitest exit code ${vitestExitCode}).`);
    console.log('0 passed, 1 failed');
    return 1;
  }

  const passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);

  // A file that failed before running its tests (import error, failing beforeAll) has no failed test.
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) {
      console.log(`File failed without a failed test: ${file.name ?? '(unknown)'}${file.message ? `: ${file.message.split('\n')[0]}` : ''}`);
      failed++;
    }
  }
  if (vitestExitCode !== 0 && failed === 0) {
    console.log(`vitest exited with code ${vitestExitCode} although no test failed (setup, teardown or unhandled error): counted as 1 failed.`);
    failed = 1;
  }

  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return failed > 0 ? 1 : 0;
}

const [reportPath = '.test-results/vitest.json', exitCode = '0'] = process.argv.slice(2);
process.exitCode = summarize(reportPath, Number(exitCode) || 0);
