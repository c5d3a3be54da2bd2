/**
 * Scenarios recorded as replay histories (npm run histories:record): the main and timeout paths of each
 * case kind, each driven through the API to the end of its workflow, then saved to test/histories.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { apiClient, type ApiClient } from '../support/http';
import { act, afterSaleBody, cny, createAfterSale, publishShortPolicy } from '../integration/after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'record' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

/** Histories of each code generation sit side by side: `<scenario>@<label>.json` (HISTORIES_LABEL, default today). */
const LABEL = process.env.HISTORIES_LABEL ?? new Date().toISOString().slice(0, 10);

async function save(name: string, caseId: string): Promise<void> {
  const handle = system.client.workflow.getHandle(caseId);
  await handle.result();
  const history = JSON.parse(historyToJSON(await handle.fetchHistory()));
  writeFileSync(path.resolve(__dirname, '..', 'histories', `${name}@${LABEL}.json`), `${JSON.stringify({ workflowId: caseId, history }, null, 1)}\n`);
}

describe('after-sale', () => {
  it('refund only, approved', async () => {
    const policyId = await publishShortPolicy(api, {});
    const c = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId }));
    await act(api, c.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await save('after-sale-refund-only-approved', c.id);
  });

  it('return and refund, full path', async () => {
    const policyId = await publishShortPolicy(api, {});
    const c = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, c.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await act(api, c.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF1' });
    await act(api, c.id, 'confirm-receipt', 'dev-merchant-a', { inspection: 'ok', actorRef: 'staff-1' });
    await save('after-sale-return-full-path', c.id);
  });

  it('merchant silent: auto-approved refund', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 2 });
    const c = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId }));
    await save('after-sale-timeout-merchant-silent', c.id);
  });

  it('buyer does not ship back: expired', async () => {
    const policyId = await publishShortPolicy(api, { buyerReturnShipment: 2 });
    const c = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, c.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await save('after-sale-timeout-buyer-silent', c.id);
  });

  it('exchange with a missed reship: fallback refund', async () => {
    const policyId = await publishShortPolicy(api, { merchantReceipt: 2, replacementShipment: 2 });
    const c = await createAfterSale(api, afterSaleBody({ type: 'exchange', reason: 'damaged', policyId }));
    await act(api, c.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await act(api, c.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF2' });
    await save('after-sale-timeout-exchange-fallback', c.id);
  });

  it('repair completed', async () => {
    const policyId = await publishShortPolicy(api, {});
    const c = await createAfterSale(api, afterSaleBody({ type: 'repair', policyId }));
    await act(api, c.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await act(api, c.id, 'ship-return', 'dev-channel', { trackingNumber: 'SF3' });
    await act(api, c.id, 'confirm-receipt', 'dev-merchant-a', { inspection: 'ok', actorRef: 'staff-1' });
    await act(api, c.id, 'complete-repair', 'dev-merchant-a', { actorRef: 'staff-1' });
    await save('after-sale-repair-completed', c.id);
  });

  it('rejected, escalated, ruled, platform executes, appeal window passes', async () => {
    const policyId = await publishShortPolicy(api, { rulingExecution: 2, appealWindow: 2 });
    const c = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, c.id, 'reject', 'dev-merchant-a', { reason: 'worn', actorRef: 'staff-1' });
    await act(api, c.id, 'escalate', 'dev-channel', { reason: 'faulty' });
    await act(api, c.id, 'request-evidence', 'dev-arbiter', { from: 'buyer', actorRef: 'arb-1' });
    await act(api, c.id, 'submit-evidence', 'dev-channel', { evidence: ['https://evidence.example/1.jpg'] });
    await act(api, c.id, 'rule', 'dev-arbiter', { decision: 'refund_partial', amount: cny(8_000), actorRef: 'arb-1' });
    await save('after-sale-arbitration-platform-executes', c.id);
  });

  it('refund refused, retried by a supervisor; approval above the limit', async () => {
    const policyId = await publishShortPolicy(api, {}, { authorityLimit: 100 });
    system.adapters.payments.injectFault('refuse');
    const c = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId }));
    await act(api, c.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await act(api, c.id, 'approve-refund', 'dev-supervisor', { actorRef: 'lead-2' });
    for (let i = 0; i < 50; i += 1) {
      const view = (await api.get(`/v1/after-sales/${c.id}`, { key: 'dev-supervisor' })).body;
      if (view.status === 'refund_failed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await act(api, c.id, 'retry-refund', 'dev-supervisor', { actorRef: 'lead-2' });
    await save('after-sale-refund-refused-retried', c.id);
  });

  it('suspended for negotiation, resumed, then withdrawn', async () => {
    const policyId = await publishShortPolicy(api, {});
    const c = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, c.id, 'suspend', 'dev-supervisor', { reason: 'negotiation', actorRef: 'lead-1' });
    await act(api, c.id, 'resume', 'dev-supervisor', { actorRef: 'lead-1' });
    await act(api, c.id, 'extend-deadline', 'dev-supervisor', { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' }, reason: 'merchant on holiday', actorRef: 'lead-1' });
    await act(api, c.id, 'withdraw', 'dev-channel', { reason: 'settled' });
    await save('after-sale-suspended-resumed-withdrawn', c.id);
  });
});
