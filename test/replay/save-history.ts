/** Saves a finished workflow's history as a replay fixture: `test/histories/<name>@<label>.json`. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { CaseSystem } from '../support/case-system';

/** Histories of each code generation sit side by side (HISTORIES_LABEL, default today). */
export const LABEL = process.env.HISTORIES_LABEL ?? new Date().toISOString().slice(0, 10);

export async function saveHistory(system: CaseSystem, name: string, workflowId: string): Promise<void> {
  const handle = system.client.workflow.getHandle(workflowId);
  await handle.result();
  const history = JSON.parse(historyToJSON(await handle.fetchHistory()));
  writeFileSync(path.resolve(__dirname, '..', 'histories', `${name}@${LABEL}.json`), `${JSON.stringify({ workflowId, history }, null, 1)}\n`);
}
