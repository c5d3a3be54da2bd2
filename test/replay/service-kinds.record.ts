/**
 * Replay histories of the complaint, survey, inquiry and order-issue kinds (npm run histories:record, or
 * this file alone): the main and timeout paths of each, driven through the API to the end of the workflow.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { apiClient, eventually, type ApiClient } from '../support/http';
import { act as actOnComplaint, complaintBody, createComplaint, publishComplaintPolicy } from '../integration/complaint/fixtures';
import { act as actOnIssue, createOrderIssue, orderIssueBody, publishOrderIssuePolicy } from '../integration/order-issue/fixtures';
import { saveHistory } from './save-history';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'record-services' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

const seconds = (amount: number) => ({ amount, unit: 'seconds' });

describe('complaint and survey', () => {
  it('refund solution accepted, linked after-sale refunds, resolved, confirmed, surveyed and answered', async () => {
    const policyId = await publishComplaintPolicy(api, { deadlines: { reopenWindow: 2 }, survey: { delay: 1, reminder: 600, expiry: 3600 } });
    const c = await createComplaint(api, complaintBody({ policyId }));
    await actOnComplaint(api, c.id, 'acknowledge', 'dev-agent', { actorRef: 'agent-1' });
    const proposed = await actOnComplaint(api, c.id, 'propose-solution', 'dev-agent', { solution: { kind: 'refund', amount: { amount: 5_000, currency: 'CNY' } }, actorRef: 'agent-1' });
    await actOnComplaint(api, c.id, 'accept-solution', 'dev-channel');
    const resolved = await eventually(async () => {
      const view = (await api.get(`/v1/complaints/${c.id}`, { key: 'dev-supervisor' })).body;
      if (view.status !== 'resolved') throw new Error(view.status);
      return view;
    });
    await actOnComplaint(api, c.id, 'accept-solution', 'dev-channel');
    await eventually(async () => {
      if (system.adapters.notifications.sent(c.id, 'survey.sent').length !== 1) throw new Error('survey not sent');
    });
    await api.post('/v1/callbacks/satisfaction', { caseId: c.id, score: 5, requestId: 'rec-1' }, { key: 'dev-channel', idempotencyKey: null });
    await saveHistory(system, 'complaint-refund-accepted-resolved', c.id);
    await saveHistory(system, 'complaint-linked-refund', resolved.solutions[0].linkedCase.id);
    await saveHistory(system, 'survey-answered-after-linked-refund', `${c.id}:survey`);
    void proposed;
  });

  it('P1 first response breached step by step to L4, closed by a supervisor; the survey gets no answer', async () => {
    const policyId = await publishComplaintPolicy(api, { deadlines: { reopenWindow: 2 }, targets: { P1: { firstResponse: 1, resolution: 3600 } }, survey: { delay: 1, reminder: 1, expiry: 3 }, reminders: 1 });
    const c = await createComplaint(api, complaintBody({ policyId, severity: 'high', urgency: 'high', customerTier: 'vip' }));
    await eventually(async () => {
      const view = (await api.get(`/v1/complaints/${c.id}`, { key: 'dev-supervisor' })).body;
      if (view.escalationLevel !== 4) throw new Error(`L${view.escalationLevel}`);
    }, { timeoutMs: 60_000 });
    await actOnComplaint(api, c.id, 'close', 'dev-supervisor', { actorRef: 'lead-1' });
    await saveHistory(system, 'complaint-timeout-first-response-to-l4', c.id);
    await saveHistory(system, 'survey-timeout-no-response-after-l4', `${c.id}:survey`);
  });

  it('a solution above the agent limit approved by a second person (four-eyes)', async () => {
    const policyId = await publishComplaintPolicy(api, { deadlines: { reopenWindow: 2, customerDecision: 2 }, authorityLimits: { agent: 100, supervisor: 100_000 } });
    const c = await createComplaint(api, complaintBody({ policyId }));
    await actOnComplaint(api, c.id, 'acknowledge', 'dev-agent');
    await actOnComplaint(api, c.id, 'propose-solution', 'dev-agent', { solution: { kind: 'compensation', amount: { amount: 2_000, currency: 'CNY' } }, actorRef: 'agent-1' });
    await actOnComplaint(api, c.id, 'approve-solution', 'dev-supervisor', { actorRef: 'lead-9' });
    // The customer stays silent: accepted by default; implemented outside an after-sale, then resolved and confirmed by silence.
    await eventually(async () => {
      const view = (await api.get(`/v1/complaints/${c.id}`, { key: 'dev-supervisor' })).body;
      if (view.status !== 'implementing') throw new Error(view.status);
    });
    await actOnComplaint(api, c.id, 'resolve', 'dev-agent');
    await saveHistory(system, 'complaint-four-eyes-default-accept', c.id);
  });
});

describe('inquiry', () => {
  async function inquiryPolicy(o: { firstResponse?: number; followUp?: number; followUps?: number }): Promise<string> {
    const id = `rec-iq-${randomUUID().slice(0, 8)}`;
    await api.put(`/v1/policies/${id}`, {
      name: id, extends: 'cn-marketplace',
      inquiry: { deadlines: { firstResponse: seconds(o.firstResponse ?? 3600), followUp: seconds(o.followUp ?? 3600) }, ...(o.followUps !== undefined ? { followUps: o.followUps } : {}) },
    }, { key: 'dev-admin' });
    return id;
  }
  const create = async (policyId: string) => (await api.post('/v1/inquiries', { merchantId: 'm-a', customerRef: 'cust-1', channel: 'chat', topic: 'sizing', question: 'fits?', policyId }, { key: 'dev-channel' })).body;
  const act = (id: string, action: string, key: string, body: Record<string, unknown> = {}) => api.post(`/v1/inquiries/${id}/actions/${action}`, body, { key });

  it('answered, asked again, converted', async () => {
    const c = await create(await inquiryPolicy({}));
    await act(c.id, 'reply', 'dev-agent', { message: 'yes' });
    await act(c.id, 'customer-message', 'dev-channel', { message: 'black?' });
    await act(c.id, 'reply', 'dev-agent');
    await act(c.id, 'convert', 'dev-channel', { orderId: `order-${randomUUID().slice(0, 8)}` });
    await saveHistory(system, 'inquiry-converted', c.id);
  });

  it('first response breached to L2, answered, then quiet through the follow-ups: closed no_response', async () => {
    const c = await create(await inquiryPolicy({ firstResponse: 2, followUp: 1, followUps: 1 }));
    await eventually(async () => {
      const view = (await api.get(`/v1/inquiries/${c.id}`, { key: 'dev-supervisor' })).body;
      if (view.escalationLevel !== 2) throw new Error(`L${view.escalationLevel}`);
    });
    await act(c.id, 'reply', 'dev-supervisor');
    await saveHistory(system, 'inquiry-timeout-breach-and-no-response', c.id);
  });
});

describe('order issue', () => {
  it('parcel missing, delivered by a logistics callback', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const body = orderIssueBody('parcel_missing', { policyId });
    system.adapters.logistics.setParcel(body.trackingNumber as string, 'in_transit');
    const c = await createOrderIssue(api, body);
    await eventually(async () => {
      const view = (await api.get(`/v1/order-issues/${c.id}`, { key: 'dev-supervisor' })).body;
      if (view.status !== 'awaiting_parcel') throw new Error(view.status);
    });
    await api.post('/v1/callbacks/logistics', { caseId: c.id, trackingNumber: body.trackingNumber, event: 'delivered', at: new Date().toISOString() }, { key: 'dev-channel', idempotencyKey: null });
    await saveHistory(system, 'order-issue-parcel-delivered', c.id);
  });

  it('parcel missing, every clock runs out: traced, escalated, refunded through a linked after-sale', async () => {
    const policyId = await publishOrderIssuePolicy(api, { trackingWait: 1, carrierResponse: 1, customerChoice: 1 });
    const c = await createOrderIssue(api, orderIssueBody('parcel_missing', { policyId }));
    await saveHistory(system, 'order-issue-timeout-parcel-refunded', c.id);
  });

  it('stock shortage: the customer is silent, the order is cancelled with a refund', async () => {
    const policyId = await publishOrderIssuePolicy(api, { customerChoice: 1 });
    const c = await createOrderIssue(api, orderIssueBody('stock_shortage', { policyId }));
    await saveHistory(system, 'order-issue-timeout-stock-cancelled', c.id);
  });

  it('address change confirmed and applied; damaged parcel reshipped with the claim answered', async () => {
    const policyId = await publishOrderIssuePolicy(api);
    const address = { recipient: 'Li', phone: '+86 1380000', line1: '1 Road', city: 'Shanghai', country: 'CN' };
    const a = await createOrderIssue(api, orderIssueBody('address_change', { policyId, newAddress: address }));
    await eventually(async () => {
      const view = (await api.get(`/v1/order-issues/${a.id}`, { key: 'dev-supervisor' })).body;
      if (view.status !== 'awaiting_address') throw new Error(view.status);
    });
    await actOnIssue(api, a.id, 'confirm-address', 'dev-channel');
    await saveHistory(system, 'order-issue-address-changed', a.id);
    const d = await createOrderIssue(api, orderIssueBody('damaged_in_transit', { policyId }));
    await actOnIssue(api, d.id, 'choose-remedy', 'dev-channel', { remedy: 'reship' });
    await actOnIssue(api, d.id, 'update-tracking', 'dev-merchant-a', { trackingNumber: 'ZTO-1' });
    await actOnIssue(api, d.id, 'contact-carrier', 'dev-merchant-a', { result: 'claim_accepted' });
    await saveHistory(system, 'order-issue-damaged-reshipped', d.id);
  });
});
