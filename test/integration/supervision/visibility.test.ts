/**
 * What supervisors see in the Temporal UI: search attributes kept in step with each case (never personal
 * data), a one-line summary, current details in words, and the README's ready-made list queries.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseKind, CaseStatus, EscalationLevel, MerchantId, NextDeadline, OwnerRole, PolicyId, SlaBreached } from '../../../workflows/search-attributes';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { act, afterSaleBody, createAfterSale, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'visibility' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of system.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

describe('search attributes and summaries', () => {
  it('follow the case: status, owner, escalation, breach, next deadline; no personal data', async () => {
    const policyId = await publishShortPolicy(api, { buyerReturnShipment: 2 });
    const created = await createAfterSale(api, afterSaleBody({ policyId, customerRef: 'cust-PRIVATE-55' }));
    const handle = system.client.workflow.getHandle(created.id);
    const first = await handle.describe();
    expect(first.typedSearchAttributes.get(CaseKind)).toBe('after_sale');
    expect(first.typedSearchAttributes.get(MerchantId)).toBe('m-a');
    expect(first.typedSearchAttributes.get(PolicyId)).toBe(policyId);
    expect(first.typedSearchAttributes.get(OwnerRole)).toBe('merchant');
    expect(first.typedSearchAttributes.get(NextDeadline)?.getTime()).toBe(Date.parse(created.deadlines[0].dueAt));
    expect(await first.staticSummary()).toMatch(/^After-sale return_and_refund \(quality\) · merchant m-a/);
    expect(JSON.stringify(first.raw.workflowExecutionInfo?.searchAttributes)).not.toContain('PRIVATE');
    expect(await first.staticSummary()).not.toContain('PRIVATE');

    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('status **awaiting_merchant**');
    expect(metadata.currentDetails).toContain('next: merchant response due');

    await act(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await waitForCase(api, created.id, (v) => v.status === 'closed');
    const last = await eventually(async () => {
      const d = await handle.describe();
      if (d.typedSearchAttributes.get(CaseStatus) !== 'closed') throw new Error('not yet');
      return d;
    });
    expect(last.typedSearchAttributes.get(SlaBreached)).toBe(true);
    expect(last.typedSearchAttributes.get(EscalationLevel)).toBe(1);
    expect(last.typedSearchAttributes.get(NextDeadline)).toBeUndefined();
  });

  it('the README\'s supervisor queries run and find what they promise', async () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const queries = [...readme.matchAll(/^\| [^|]+ \| `([^`]+)`/gm)].map((m) => m[1]).filter((q) => /Case|Sla|Escalation|Owner|Order|Merchant/.test(q));
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const query of queries) await expect(listIds(query), query).resolves.toBeDefined();

    const created = await createAfterSale(api, afterSaleBody({ policyId: await publishShortPolicy(api, {}) }));
    const found = await eventually(async () => {
      const ids = await listIds(`CaseStatus = 'awaiting_merchant' AND MerchantId = 'm-a' AND OrderId = '${created.orderId}'`);
      if (!ids.includes(created.id)) throw new Error('not visible yet');
      return ids;
    });
    expect(found).toEqual([created.id]);
  });
});
