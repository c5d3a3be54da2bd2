/**
 * The projection rebuilt from Temporal alone: into an empty database, every case of the system comes back
 * at the revision and state its hand-offs last recorded, read from history with no worker running; a rebuild
 * into a projection that is ahead never sets a case back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseProjection, type CaseProjection } from '../../../activities/projection';
import { rebuildDocuments, rebuildProjection } from '../../../worker/projection-rebuild';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { freshProjectionDatabase } from '../../support/projection';
import { temporalNamespace } from '../../support/temporal';
import { afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let fresh: CaseProjection;
const ids: { open: string; closed: string; noted: string } = { open: '', closed: '', noted: '' };
let policyId = '';

beforeAll(async () => {
  system = await startCaseSystem({ name: 'projection-rebuild' });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
  ids.open = (await createAfterSale(api, afterSaleBody({ policyId }))).id;
  ids.closed = (await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_as_described', policyId }))).id;
  ids.noted = (await createAfterSale(api, afterSaleBody({ policyId }))).id;
  expect((await api.post(`/v1/after-sales/${ids.closed}/actions/approve`, { actorRef: 'staff-a1' }, { key: 'dev-merchant-a' })).status).toBe(200);
  expect((await api.post(`/v1/after-sales/${ids.noted}/actions/add-note`, { note: 'photos attached' }, { key: 'dev-channel' })).status).toBe(200);
  await eventually(async () => {
    const closed = await system.projection.read(ids.closed);
    if (closed?.view && (closed.view as { status?: string }).status !== 'closed') throw new Error('not closed yet');
    for (const id of Object.values(ids)) if (!(await system.projection.read(id))) throw new Error(`${id} not projected yet`);
  });
  // Visibility lists the cases the rebuild walks: wait until all three are there.
  await eventually(async () => {
    const page = await system.client.workflowService.listWorkflowExecutions({ namespace: temporalNamespace(), query: `TaskQueue = '${system.taskQueue}' AND CaseKind = 'after_sale'` });
    if ((page.executions ?? []).length < 3) throw new Error('not visible yet');
  });
  await system.stopWorker();
  fresh = await openCaseProjection({ databaseUrl: await freshProjectionDatabase('rebuilt'), codecs: system.client.options.loadedDataConverter.payloadCodecs });
}, 120_000);

afterAll(async () => {
  await fresh?.close();
  await system?.close();
});

describe('rebuild from Temporal', () => {
  it('brings every case back into an empty projection from its history, with no worker running', async () => {
    const report = await rebuildProjection({ client: system.client, namespace: temporalNamespace(), taskQueue: system.taskQueue, projection: fresh, onlyTaskQueue: true });
    expect(report).toEqual({ fromHistory: 3, fromQuery: 0, skipped: [] });
    for (const id of Object.values(ids)) {
      const kept = await system.projection.read(id);
      const rebuilt = await fresh.read(id);
      expect(rebuilt, id).not.toBeNull();
      expect(rebuilt!.revision, id).toBe(kept!.revision);
      expect(rebuilt!.view, id).toEqual(kept!.view);
      expect(rebuilt!.allowedActions, id).toEqual(kept!.allowedActions);
    }
    expect((await fresh.read(ids.closed))!.view).toMatchObject({ status: 'closed', outcome: 'refunded' });
    expect((await fresh.read(ids.open))!.view).toMatchObject({ status: 'awaiting_merchant' });
    const listed = await fresh.list({ merchants: '*' }, 10);
    expect(listed.items.map((c) => c.caseId).sort()).toEqual(Object.values(ids).sort());
  });

  it('never sets a case back: a projection ahead of the history keeps its revision', async () => {
    const ahead = await system.projection.read(ids.noted);
    await fresh.record({
      caseId: ids.noted, kind: 'after_sale', merchantId: 'm-a', timeZone: ahead!.timeZone,
      snapshot: { revision: ahead!.revision + 5, view: { ...(ahead!.view as object), status: 'withdrawn' }, visibility: { kind: 'after_sale', status: 'withdrawn', outcome: 'withdrawn', owner: null, escalationLevel: 1, deadlines: [] }, allowedActions: ahead!.allowedActions as never, finished: false },
    });
    await rebuildProjection({ client: system.client, namespace: temporalNamespace(), taskQueue: system.taskQueue, projection: fresh, onlyTaskQueue: true });
    const kept = await fresh.read(ids.noted);
    expect(kept!.revision).toBe(ahead!.revision + 5);
    expect(kept!.view).toMatchObject({ status: 'withdrawn' });
  });

  it('records every version of the published policies from their registries (a worker answers)', async () => {
    expect(await fresh.readDocument('policy', policyId)).toBeNull();
    // A second version, so the list is more than the one the first publish recorded.
    await system.startWorker();
    try {
      const second = await api.put(`/v1/policies/${policyId}`, { name: 'rebuilt policy, v2', extends: 'cn-marketplace' }, { key: 'dev-admin' });
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      const documents = await rebuildDocuments({ client: system.client, namespace: temporalNamespace(), taskQueue: system.taskQueue, projection: fresh, onlyTaskQueue: true });
      expect(documents).toEqual({ versions: 2, skipped: [] });
    } finally {
      await system.stopWorker();
    }
    const versions = await fresh.documentVersions<{ version: number; content: { policy: { name: string } } }>('policy', policyId);
    expect(versions.map((v) => [v.version, v.content.policy.name])).toEqual([[1, expect.any(String)], [2, 'rebuilt policy, v2']]);
  });
});
