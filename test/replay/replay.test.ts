/**
 * Replay safety: every recorded history in test/histories (the main and timeout paths of each case kind,
 * recorded from released workflow code) replays against today's workflow code without non-determinism.
 * A change to released workflow code must go behind `patched()`; see test/replay/README.md to refresh.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createCasesPlugin } from '../../worker/plugin';
import { createSandboxAdapters } from '../../worker/sandbox';
import { developmentKeyring } from '../../worker/encryption';

const dir = path.resolve(__dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
/** File prefixes per workflow kind (the survey is the workflow `<caseId>:survey`). */
const KINDS = ['after-sale', 'complaint', 'survey', 'inquiry', 'order-issue'];
/** Kinds that must have histories, plus every other kind that has started recording them. */
const RECORDED_KINDS = KINDS.filter((kind) => ['after-sale', 'complaint', 'survey'].includes(kind) || files.some((f) => f.startsWith(`${kind}-`)));

describe('recorded histories replay on the current code', () => {
  it('there are recorded histories for every case kind path', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  // `<kind>-<scenario>@<label>.json`: each recorded kind keeps at least one main and one timeout history
  // (a scenario named with `timeout` lets a policy deadline pass; any other is a main path).
  it.each(RECORDED_KINDS)('%s has a main and a timeout history', (kind) => {
    const scenarios = files.filter((f) => f.startsWith(`${kind}-`)).map((f) => f.slice(kind.length + 1).split('@')[0]);
    expect(scenarios.filter((name) => name.includes('timeout')).length, `${kind} timeout histories`).toBeGreaterThanOrEqual(1);
    expect(scenarios.filter((name) => !name.includes('timeout')).length, `${kind} main histories`).toBeGreaterThanOrEqual(1);
  });

  it('every history replays without non-determinism', async () => {
    const histories = files.map((file) => {
      const { workflowId, history } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { workflowId: string; history: unknown };
      return { workflowId, history };
    });
    const failures: string[] = [];
    let replayed = 0;
    const results = Worker.runReplayHistories({
      plugins: [createCasesPlugin({ ...createSandboxAdapters(), encryptionKeys: developmentKeyring() })],
      replayName: 'recorded-histories',
    }, histories);
    for await (const result of results) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name} ${result.error.message}`);
    }
    expect(replayed).toBe(files.length);
    expect(failures).toEqual([]);
  }, 300_000);
});
