/** The baseline for end-to-end throughput: one workflow, one activity, nothing else. */
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

export async function trivialCase(): Promise<string> {
  return noop();
}
