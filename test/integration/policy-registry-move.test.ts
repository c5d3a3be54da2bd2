/**
 * One registry workflow type for every versioned document: a policy published today lives in the document
 * registry; a policy still in a legacy policyRegistry workflow is read from it, and its next publish moves its
 * versions (numbers kept) into the document registry and ends the legacy workflow.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from './../support/case-system';
import { apiClient, eventually, type ApiClient } from './../support/http';
import { afterSaleBody, createAfterSale } from './after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'policy-registry-move' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

const body = (name: string, merchantResponseSeconds: number) => ({
  name, extends: 'cn-marketplace', afterSale: { deadlines: { merchantResponse: { amount: merchantResponseSeconds, unit: 'seconds' } } },
});

describe('one registry type', () => {
  it('a new policy is kept by the document registry', async () => {
    const id = `move-new-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/policies/${id}`, body('new one', 3600), { key: 'dev-admin' })).status).toBe(201);
    const described = await system.client.workflow.getHandle(`policy-registry:${id}`).describe();
    expect(described.type).toBe('documentRegistry');
  });

  it('a legacy policy registry is read, then moved with its versions at the next publish', async () => {
    // A policy as the legacy registry kept it: publish one today, and start a legacy registry with its record.
    const template = `move-template-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/policies/${template}`, body('legacy policy', 3600), { key: 'dev-admin' })).status).toBe(201);
    const published = (await api.get(`/v1/policies/${template}`, { key: 'dev-admin' })).body;
    const id = `move-legacy-${randomUUID().slice(0, 8)}`;
    const stored = await system.client.workflow.getHandle(`policy-registry:${template}`).query<{ version: number; publishedAt: number; publishedBy: string; content: { policy: Record<string, unknown>; document: unknown } }>('latest');
    const legacyRecord = { version: 1, publishedAt: stored.publishedAt, publishedBy: 'dev-admin', policy: { ...stored.content.policy, id, version: 1 }, document: stored.content.document };
    await system.client.workflow.start('policyRegistry', {
      workflowId: `policy-registry:${id}`, taskQueue: system.taskQueue, args: [{ policyId: id, versions: [legacyRecord] }],
      memo: { policyId: id, policyName: 'legacy policy', latestVersion: 1 },
    });
    expect(published.policy.name).toBe('legacy policy');

    const read = await api.get(`/v1/policies/${id}`, { key: 'dev-admin' });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ id, version: 1, policy: { id, name: 'legacy policy' } });
    await eventually(async () => {
      const list = await api.get('/v1/policies', { key: 'dev-admin' });
      expect(list.body.policies).toContainEqual(expect.objectContaining({ id, latestVersion: 1, preset: false }));
    });

    const next = await api.put(`/v1/policies/${id}`, body('legacy policy, faster', 1800), { key: 'dev-admin' });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body).toMatchObject({ id, version: 2, policy: { id, version: 2, name: 'legacy policy, faster' } });
    const described = await system.client.workflow.getHandle(`policy-registry:${id}`).describe();
    expect(described.type).toBe('documentRegistry');
    const runs: Array<[string, string]> = [];
    for await (const e of system.client.workflow.list({ query: `WorkflowId = 'policy-registry:${id}'` })) runs.push([e.type, e.status.name]);
    expect(runs).toContainEqual(['policyRegistry', 'TERMINATED']);

    const versions = await api.get(`/v1/policies/${id}/versions`, { key: 'dev-admin' });
    expect(versions.body.versions.map((v: any) => [v.version, v.name])).toEqual([[1, 'legacy policy'], [2, 'legacy policy, faster']]);
    expect((await api.get(`/v1/policies/${id}/versions/1`, { key: 'dev-admin' })).body).toMatchObject({ version: 1, policy: { name: 'legacy policy' } });
    const created = await createAfterSale(api, afterSaleBody({ policyId: id }));
    expect(created.policy).toEqual({ id, version: 2 });
  });
});
