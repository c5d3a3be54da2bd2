/**
 * Opening an inquiry on the real server: the response target counts from receivedAt (past allowed, a
 * future instant beyond the tolerance refused), an idempotent retry answers the same case, another case
 * opened against it shows up once in its links, and personal data stays out of what Temporal indexes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { CaseKind, CaseStatus, EscalationLevel, OwnerRole, SlaBreached } from '../../../workflows/search-attributes';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

const HOUR = 3_600_000;
const PRIVATE_QUESTION = 'PRIVATE question about my wide feet';

beforeAll(async () => {
  system = await startCaseSystem({ name: 'inquiry-opening' });
  api = apiClient(system.baseUrl);
  policyId = `iq-open-${randomUUID().slice(0, 8)}`;
  const put = await api.put(`/v1/policies/${policyId}`, {
    name: policyId, extends: 'cn-marketplace',
    inquiry: { deadlines: { firstResponse: { amount: 3600, unit: 'seconds' }, followUp: { amount: 3600, unit: 'seconds' } } },
  }, { key: 'dev-admin' });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
});
afterAll(async () => system?.close());

const body = (overrides: Record<string, unknown> = {}) => ({
  merchantId: 'm-a', customerRef: 'cust-PRIVATE-7', channel: 'email', topic: 'sizing', question: PRIVATE_QUESTION, policyId, ...overrides,
});
const read = async (id: string) => (await api.get(`/v1/inquiries/${id}`, { key: 'dev-supervisor' })).body;

describe('receivedAt', () => {
  it('a question received 10 minutes ago is due one hour after it was received, not after it was entered', async () => {
    const receivedAt = new Date(Date.now() - 10 * 60_000);
    const created = await api.post('/v1/inquiries', body({ receivedAt: receivedAt.toISOString() }), { key: 'dev-agent' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [target] = created.body.deadlines;
    expect(target).toMatchObject({ name: 'firstResponse', state: 'active', actor: 'agent', onTimeout: 'escalate' });
    expect(Date.parse(target.dueAt) - receivedAt.getTime()).toBe(HOUR);
    expect(Date.parse(created.body.receivedAt)).toBe(receivedAt.getTime());
  });

  it('a question received longer ago than the target is escalated to the team lead at once', async () => {
    const created = await api.post('/v1/inquiries', body({ receivedAt: new Date(Date.now() - 2 * HOUR).toISOString() }), { key: 'dev-channel' });
    expect(created.status).toBe(201);
    const view = await eventually(async () => {
      const v = await read(created.body.id);
      if (v.escalationLevel !== 2) throw new Error(`L${v.escalationLevel}`);
      return v;
    }, { timeoutMs: 30_000 });
    expect(view).toMatchObject({ status: 'awaiting_reply', owner: { role: 'supervisor', tier: 'L2' } });
  });

  it.each([
    ['10 minutes in the future', new Date(Date.now() + 10 * 60_000).toISOString()],
    ['not an instant', 'yesterday'],
  ])('receivedAt %s → 400', async (_label, receivedAt) => {
    const answer = await api.post('/v1/inquiries', body({ receivedAt }), { key: 'dev-channel' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  });
});

describe('create', () => {
  it('the same Idempotency-Key and body answer the same inquiry with 200', async () => {
    const idempotencyKey = randomUUID();
    const first = await api.post('/v1/inquiries', body(), { key: 'dev-channel', idempotencyKey });
    const again = await api.post('/v1/inquiries', body(), { key: 'dev-channel', idempotencyKey });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect(first.body.id).toMatch(/^iq_/);
  });

  it('personal data stays out of the summary and search attributes; the creator may act', async () => {
    const created = await api.post('/v1/inquiries', body(), { key: 'dev-channel' });
    const handle = system.client.workflow.getHandle(created.body.id);
    const description = await handle.describe();
    const summary = await description.staticSummary();
    expect(summary).toMatch(/^Inquiry \(sizing, email\)/);
    expect(summary).not.toContain('PRIVATE');
    const sa = description.typedSearchAttributes;
    expect({
      kind: sa.get(CaseKind), status: sa.get(CaseStatus), owner: sa.get(OwnerRole), level: sa.get(EscalationLevel), breached: sa.get(SlaBreached),
    }).toEqual({ kind: 'inquiry', status: 'awaiting_reply', owner: 'agent', level: 1, breached: false });
    expect(JSON.stringify(description.raw.workflowExecutionInfo?.searchAttributes ?? {})).not.toContain('PRIVATE');
    expect(created.body.allowedActions).toEqual(expect.arrayContaining(['customer-message', 'convert']));
    expect(created.body.allowedActions).not.toContain('reply');
  });

  it('a case opened against the inquiry is linked to it once', async () => {
    const origin = (await api.post('/v1/inquiries', body(), { key: 'dev-channel' })).body;
    const follow = await api.post('/v1/inquiries', body({ relatedCaseId: origin.id }), { key: 'dev-channel' });
    expect(follow.status).toBe(201);
    expect(follow.body.links).toEqual([{ id: origin.id, kind: 'inquiry', relation: 'related' }]);
    const linked = await eventually(async () => {
      const v = await read(origin.id);
      if (v.links.length === 0) throw new Error('not linked yet');
      return v;
    });
    expect(linked.links).toEqual([expect.objectContaining({ id: follow.body.id, kind: 'inquiry' })]);
    expect(linked.timeline.filter((e: any) => e.type === 'case.linked')).toHaveLength(1);
    const unknown = await api.post('/v1/inquiries', body({ relatedCaseId: `iq_${'0'.repeat(32)}` }), { key: 'dev-channel' });
    expect(unknown.status).toBe(422);
  });
});
