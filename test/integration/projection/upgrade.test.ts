/**
 * An upgrade with cases running: a case opened by the release before the projection (its workflow code built
 * from that commit) keeps running on today's worker, and from its next event on its hand-offs carry its
 * snapshot, so its projection row follows it without a rebuild; its history then replays on today's code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import { encryptedDataConverter, developmentKeyring } from '../../../worker/encryption';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { temporalAddress, temporalNamespace } from '../../support/temporal';
import { afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

/** The last commit before case hand-offs carried snapshots (the release running cases were started on). */
const BEFORE_PROJECTION = '6a8b5d7';
const root = path.resolve(__dirname, '..', '..', '..');

let system: CaseSystem;
let api: ApiClient;
let oldWorkflows: string;

beforeAll(async () => {
  // That commit's workflow code, bundled as its worker would have.
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-cases-before-projection-'));
  execFileSync('sh', ['-c', `git -C "${root}" archive ${BEFORE_PROJECTION} workflows | tar -x -C "${dir}"`]);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  oldWorkflows = (await bundleWorkflowCode({ workflowsPath: path.join(dir, 'workflows', 'index.ts'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never })).code;
  system = await startCaseSystem({ name: 'projection-upgrade', inProcessWorker: false });
  api = apiClient(system.baseUrl);
}, 180_000);
afterAll(async () => system?.close());

describe('cases running across the upgrade', () => {
  it('an old case joins the projection at its next event, and its history replays on today\'s code', async () => {
    // Today's release publishes the policy (a policy document needs today's registry), then the old release runs alone.
    await system.startWorker();
    const policyId = await publishShortPolicy(api, {});
    await system.stopWorker();
    const connection = await NativeConnection.connect({ address: temporalAddress() });
    const old = await Worker.create({
      connection, namespace: temporalNamespace(), taskQueue: system.taskQueue, workflowBundle: { code: oldWorkflows },
      activities: createActivities({ ...system.adapters }), dataConverter: encryptedDataConverter(developmentKeyring()),
    });
    let created: { id: string };
    await old.runUntil(async () => {
      created = await createAfterSale(api, afterSaleBody({ policyId }));
      // The old release hands off events without a snapshot: the projection never hears of the case.
      await eventually(async () => expect(system.adapters.events.events(created.id).map((e) => e.type)).toContain('case.created'));
    });
    await connection.close();
    // Only the opening row the API wrote with the 201 is there: the old release's hand-offs carried no snapshot.
    const opening = await system.projection.read(created!.id);
    expect(opening?.revision).toBe(0);
    expect((opening!.view as { timeline: unknown[] }).timeline).toHaveLength(1);

    await system.startWorker();
    // Its next event runs on today's code: from then on it hands off its snapshot.
    const noted = await api.post(`/v1/after-sales/${created!.id}/actions/add-note`, { note: 'upgrade day' }, { key: 'dev-channel' });
    expect(noted.status).toBe(200);
    const row = await eventually(async () => {
      const found = await system.projection.read(created!.id);
      if (!found || found.revision === 0) throw new Error('not projected yet');
      return found;
    });
    expect(row.view).toMatchObject({ id: created!.id, status: 'awaiting_merchant' });
    expect((row.view as { timeline: Array<{ type: string }> }).timeline.map((e) => e.type)).toContain('action.add-note');
    const listed = await api.get(`/v1/cases?merchantId=m-a`, { key: 'dev-supervisor' });
    expect(listed.body.cases.map((c: { id: string }) => c.id)).toContain(created!.id);

    // The history, old part and new, replays on today's workflow code.
    const history = await system.client.workflow.getHandle(created!.id).fetchHistory();
    await Worker.runReplayHistory({ workflowsPath: path.join(root, 'workflows', 'index.ts'), dataConverter: encryptedDataConverter(developmentKeyring()) }, history, created!.id);
  }, 180_000);
});
