/**
 * Replay histories of the inquiry paths service-kinds.record.ts leaves out (that file keeps the plain
 * converted and breach-then-no-response paths): a linked, noted, assigned, escalated inquiry closed
 * not_converted and surveyed; and a response target breached twice (L3) before conversion.
 * Record this file alone: HISTORIES_LABEL=<label> npx vitest run --config vitest.record.mts test/replay/inquiry.record.ts
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { apiClient, eventually, type ApiClient } from '../support/http';
import { saveHistory } from './save-history';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'record-inquiry' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

const seconds = (amount: number) => ({ amount, unit: 'seconds' });

async function inquiryPolicy(o: { firstResponse?: number; survey?: boolean }): Promise<string> {
  const id = `rec-iq-${randomUUID().slice(0, 8)}`;
  const put = await api.put(`/v1/policies/${id}`, {
    name: id, extends: 'cn-marketplace',
    inquiry: { deadlines: { firstResponse: seconds(o.firstResponse ?? 3600), followUp: seconds(3600) }, ...(o.survey ? { survey: true } : {}) },
    survey: { deadlines: { delay: seconds(1), reminder: seconds(600), expiry: seconds(3600) } },
  }, { key: 'dev-admin' });
  if (put.status >= 300) throw new Error(`policy ${put.status}`);
  return id;
}

async function create(policyId: string, extra: Record<string, unknown> = {}) {
  const answer = await api.post('/v1/inquiries', { merchantId: 'm-a', customerRef: 'cust-1', channel: 'chat', topic: 'sizing', question: 'fits?', policyId, ...extra }, { key: 'dev-channel' });
  if (answer.status !== 201) throw new Error(`create ${answer.status}`);
  return answer.body;
}

async function act(id: string, action: string, key: string, body: Record<string, unknown> = {}) {
  const answer = await api.post(`/v1/inquiries/${id}/actions/${action}`, body, { key });
  if (answer.status !== 200) throw new Error(`${action} ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function waitFor(id: string, ok: (view: any) => boolean) {
  return eventually(async () => {
    const view = (await api.get(`/v1/inquiries/${id}`, { key: 'dev-supervisor' })).body;
    if (!ok(view)) throw new Error(`${view.status} L${view.escalationLevel}`);
    return view;
  }, { timeoutMs: 60_000 });
}

describe('inquiry', () => {
  it('linked, noted, assigned, escalated, closed not_converted and surveyed', async () => {
    const policyId = await inquiryPolicy({ survey: true });
    const c = await create(policyId);
    await create(policyId, { relatedCaseId: c.id });
    await waitFor(c.id, (v) => v.links.length === 1);
    await act(c.id, 'add-note', 'dev-agent', { note: 'asks about sizes' });
    await act(c.id, 'assign', 'dev-agent', { assignee: 'agent-7' });
    await act(c.id, 'reply', 'dev-agent', { message: 'M fits' });
    await act(c.id, 'customer-message', 'dev-channel', { message: 'and L?' });
    await act(c.id, 'escalate', 'dev-agent', { reason: 'needs a team lead' });
    await act(c.id, 'close', 'dev-supervisor', { reason: 'bought elsewhere' });
    await eventually(async () => {
      if (system.adapters.notifications.sent(c.id, 'survey.sent').length !== 1) throw new Error('survey not sent');
    }, { timeoutMs: 60_000 });
    await api.post('/v1/callbacks/satisfaction', { caseId: c.id, score: 4, requestId: 'rec-iq-1' }, { key: 'dev-channel', idempotencyKey: null });
    await saveHistory(system, 'inquiry-linked-escalated-surveyed', c.id);
  });

  it('response target breached twice (L3), answered by the team lead, converted', async () => {
    const c = await create(await inquiryPolicy({ firstResponse: 5 }));
    await waitFor(c.id, (v) => v.escalationLevel === 3);
    await act(c.id, 'reply', 'dev-supervisor');
    await act(c.id, 'convert', 'dev-channel', { orderId: `order-${randomUUID().slice(0, 8)}` });
    await saveHistory(system, 'inquiry-timeout-l3-converted', c.id);
  });
});
