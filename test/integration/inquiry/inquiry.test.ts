/**
 * Pre-sale inquiries on the real server: answered and converted to an order (visible by order id), a first
 * response that breaches (warned, then a team lead owns it), follow-ups to a quiet customer and the automatic
 * close after the last, the refusals of the API, and the optional survey after close.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';

let system: CaseSystem;
let api: ApiClient;

const seconds = (amount: number) => ({ amount, unit: 'seconds' });

async function publishInquiryPolicy(options: { firstResponse?: number; followUp?: number; followUps?: number; survey?: boolean } = {}): Promise<string> {
  const id = `iq-test-${randomUUID().slice(0, 8)}`;
  const answer = await api.put(`/v1/policies/${id}`, {
    name: `inquiry integration ${id}`, extends: 'cn-marketplace',
    inquiry: {
      deadlines: { firstResponse: seconds(options.firstResponse ?? 3600), followUp: seconds(options.followUp ?? 3600) },
      ...(options.followUps !== undefined ? { followUps: options.followUps } : {}),
      ...(options.survey !== undefined ? { survey: options.survey } : {}),
    },
    survey: { deadlines: { delay: seconds(1), reminder: seconds(600), expiry: seconds(3600) } },
  }, { key: 'dev-admin' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return id;
}

const inquiryBody = (overrides: Record<string, unknown> = {}) => ({
  merchantId: 'm-a', customerRef: 'cust-5e2a', channel: 'chat', topic: 'sizing', question: 'does the 42 fit a wide foot?', productSkus: ['shoe-42'], ...overrides,
});

async function createInquiry(body: Record<string, unknown>, key = 'dev-channel'): Promise<any> {
  const answer = await api.post('/v1/inquiries', body, { key });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

async function act(id: string, action: string, key: string, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await api.post(`/v1/inquiries/${id}/actions/${action}`, body, { key });
  expect(answer.status, `${action}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
}

const read = async (id: string) => (await api.get(`/v1/inquiries/${id}`, { key: 'dev-supervisor' })).body;
const waitFor = (id: string, predicate: (v: any) => boolean, timeoutMs = 30_000) => eventually(async () => {
  const view = await read(id);
  if (!predicate(view)) throw new Error(`not yet: ${view.status} ${JSON.stringify(view.deadlines)}`);
  return view;
}, { timeoutMs });
const types = (view: any) => view.timeline.map((e: any) => e.type);

beforeAll(async () => {
  system = await startCaseSystem({ name: 'inquiry' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('answered and converted', () => {
  it('reply → customer message → reply → convert: closed converted, found by its order id', async () => {
    const policyId = await publishInquiryPolicy();
    const created = await createInquiry(inquiryBody({ policyId }));
    expect(created).toMatchObject({
      kind: 'inquiry', status: 'awaiting_reply', outcome: null, owner: { role: 'agent', tier: 'L1' }, escalationLevel: 1,
      deadlines: [{ name: 'firstResponse', actor: 'agent', onTimeout: 'escalate', state: 'active' }],
    });
    expect(created.id).toMatch(/^iq_[0-9a-f]{32}$/);
    // An action without fields may come without a body at all (as curl sends it).
    const bare = await api.post(`/v1/inquiries/${created.id}/actions/add-note`, undefined, { key: 'dev-agent' });
    expect(bare.status, JSON.stringify(bare.body)).toBe(400);
    expect(bare.body.detail).toContain('/note');
    const replied = await act(created.id, 'reply', 'dev-agent', { message: 'yes, it runs wide', actorRef: 'agent-3' });
    expect((await api.post(`/v1/inquiries/${created.id}/actions/escalate`, undefined, { key: 'dev-agent' })).status).toBe(200);
    expect(replied).toMatchObject({ status: 'awaiting_customer', replies: 1 });
    expect(replied.deadlines.map((d: any) => [d.name, d.state, d.actor])).toEqual([['firstResponse', 'met', 'agent'], ['followUp', 'active', 'channel']]);
    const asked = await act(created.id, 'customer-message', 'dev-channel', { message: 'and in black?' });
    expect(asked).toMatchObject({ status: 'awaiting_reply', customerMessages: 2 });
    expect(asked.deadlines.filter((d: any) => d.state === 'active').map((d: any) => d.name)).toEqual(['firstResponse']);
    await act(created.id, 'reply', 'dev-agent', { message: 'yes' });
    const orderId = `order-${randomUUID().slice(0, 8)}`;
    const converted = await act(created.id, 'convert', 'dev-channel', { orderId });
    expect(converted).toMatchObject({ status: 'closed', outcome: 'converted', orderId, owner: null, allowedActions: [] });
    expect(converted.deadlines.every((d: any) => d.state !== 'active')).toBe(true);
    expect(types(converted)).toEqual(expect.arrayContaining(['case.created', 'action.reply', 'action.customer-message', 'action.convert', 'case.closed']));

    const listed = await eventually(async () => {
      const answer = await api.get(`/v1/cases?orderId=${orderId}`, { key: 'dev-supervisor' });
      if (answer.body.cases?.length !== 1) throw new Error(JSON.stringify(answer.body));
      return answer.body.cases[0];
    });
    expect(listed).toMatchObject({ id: created.id, kind: 'inquiry', status: 'closed', outcome: 'converted', orderId });
  });
});

describe('first response breached', () => {
  it('warned at 80%, then escalated to a team lead (L2) who gets the target again; visible to supervisors', async () => {
    const policyId = await publishInquiryPolicy({ firstResponse: 3 });
    const created = await createInquiry(inquiryBody({ policyId }));
    const escalated = await waitFor(created.id, (v) => v.escalationLevel === 2, 30_000);
    expect(escalated).toMatchObject({ status: 'awaiting_reply', owner: { role: 'supervisor', tier: 'L2' } });
    expect(types(escalated)).toEqual(expect.arrayContaining(['deadline.warned', 'deadline.breached', 'case.escalated']));
    const [first, second] = escalated.deadlines;
    expect(first).toMatchObject({ name: 'firstResponse', state: 'breached', warnedAt: expect.any(String) });
    expect(second).toMatchObject({ name: 'firstResponse', state: 'active', actor: 'supervisor' });
    await eventually(async () => {
      const sent = system.adapters.notifications.sent(created.id).map((n) => [n.type, (n.to as any).role]);
      expect(sent).toEqual(expect.arrayContaining([['sla.warning', 'agent'], ['case.escalated', 'supervisor']]));
    });
    const breached = await eventually(async () => {
      const answer = await api.get('/v1/cases?kind=inquiry&breached=true&escalationLevel=2', { key: 'dev-supervisor' });
      const found = answer.body.cases.find((c: any) => c.id === created.id);
      if (!found) throw new Error('not visible yet');
      return found;
    });
    expect(breached).toMatchObject({ ownerRole: 'supervisor', slaBreached: true, escalationLevel: 2 });
    // The team lead answers: the target is met and follow-ups start.
    expect(await act(created.id, 'reply', 'dev-supervisor')).toMatchObject({ status: 'awaiting_customer' });
  });
});

describe('a quiet customer', () => {
  it('two follow-ups reach the customer, then the inquiry closes no_response by itself', async () => {
    const policyId = await publishInquiryPolicy({ followUp: 2, followUps: 2 });
    const created = await createInquiry(inquiryBody({ policyId }));
    await act(created.id, 'reply', 'dev-agent');
    const closed = await waitFor(created.id, (v) => v.status === 'closed', 40_000);
    expect(closed).toMatchObject({ outcome: 'no_response', followUpsSent: 2, owner: null });
    expect(closed.deadlines.filter((d: any) => d.name === 'followUp').map((d: any) => [d.onTimeout, d.state]))
      .toEqual([['warn', 'breached'], ['warn', 'breached'], ['auto_close', 'breached']]);
    expect(types(closed)).toEqual(expect.arrayContaining(['inquiry.followed_up', 'case.default_outcome', 'case.closed']));
    await eventually(async () => {
      const followUps = system.adapters.notifications.sent(created.id, 'inquiry.follow_up');
      expect(followUps.map((n) => n.to)).toEqual([{ customerRef: 'cust-5e2a' }, { customerRef: 'cust-5e2a' }]);
    });
  });

  it('a customer message stops the follow-ups and the response target runs again', async () => {
    const policyId = await publishInquiryPolicy({ followUp: 2, followUps: 3 });
    const created = await createInquiry(inquiryBody({ policyId }));
    await act(created.id, 'reply', 'dev-agent');
    await waitFor(created.id, (v) => v.followUpsSent === 1);
    const back = await act(created.id, 'customer-message', 'dev-channel', { message: 'still there?' });
    expect(back).toMatchObject({ status: 'awaiting_reply', followUpsSent: 1 });
    expect(back.deadlines.filter((d: any) => d.state === 'active').map((d: any) => d.name)).toEqual(['firstResponse']);
    expect((await act(created.id, 'reply', 'dev-agent')).followUpsSent).toBe(0);
    // A further message from us (a recommendation) while the customer is quiet: follow-ups count from it.
    await waitFor(created.id, (v) => v.followUpsSent === 1);
    const again = await act(created.id, 'reply', 'dev-agent', { message: 'the 43 suits a wide foot' });
    expect(again).toMatchObject({ status: 'awaiting_customer', followUpsSent: 0, replies: 3 });
    expect(again.allowedActions).toContain('reply');
  });
});

describe('refusals', () => {
  it('403 for a role the table leaves out, 400 convert without orderId, 409 on a closed inquiry, 404 outside the merchant', async () => {
    const policyId = await publishInquiryPolicy();
    const created = await createInquiry(inquiryBody({ policyId }));
    expect((await api.post('/v1/inquiries', inquiryBody({ policyId }), { key: 'dev-merchant-a' })).status).toBe(403);
    expect((await api.post(`/v1/inquiries/${created.id}/actions/reply`, {}, { key: 'dev-channel' })).status).toBe(403);
    expect((await api.post(`/v1/inquiries/${created.id}/actions/convert`, {}, { key: 'dev-channel' })).status).toBe(400);
    expect((await api.post('/v1/inquiries', inquiryBody({ policyId, phone: '13800000000' }), { key: 'dev-channel' })).status).toBe(400);
    expect((await api.get(`/v1/inquiries/${created.id}`, { key: 'dev-merchant-b' })).status).toBe(404);
    await act(created.id, 'close', 'dev-agent', { reason: 'just browsing' });
    const late = await api.post(`/v1/inquiries/${created.id}/actions/convert`, { orderId: 'order-late' }, { key: 'dev-channel' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ type: '/problems/action-not-allowed', caseStatus: 'closed', action: 'convert', allowedActions: [] });
    expect((await read(created.id)).outcome).toBe('not_converted');
  });
});

describe('survey', () => {
  it('a policy that asks for it surveys the customer after close; the closed view shows the survey', async () => {
    const policyId = await publishInquiryPolicy({ survey: true });
    const created = await createInquiry(inquiryBody({ policyId }));
    await act(created.id, 'reply', 'dev-agent');
    await act(created.id, 'convert', 'dev-agent', { orderId: `order-${randomUUID().slice(0, 8)}` });
    await eventually(async () => expect(system.adapters.notifications.sent(created.id, 'survey.sent')).toHaveLength(1));
    // The closed view shows the survey from the projection the survey's events keep: a moment behind them.
    await eventually(async () => expect((await read(created.id)).satisfaction).toMatchObject({ surveyId: `${created.id}:survey`, status: 'sent' }), { timeoutMs: 10_000 });
    expect((await api.post('/v1/callbacks/satisfaction', { caseId: created.id, score: 5 }, { key: 'dev-channel', idempotencyKey: null })).status).toBe(202);
  });
});
