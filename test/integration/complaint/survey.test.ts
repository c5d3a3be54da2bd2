/**
 * Satisfaction surveys on the real server, with second-level delay, reminder and expiry: sent once after
 * close, one reminder, the first answer counts and duplicates change nothing, a late answer is 409
 * survey-closed, and a low score starts service recovery (the complaint reopens at L2, or a new L2
 * complaint opens for an after-sale).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseIdOf } from '../../../workflows/domain/case-ids';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { afterSaleBody, act as actOnAfterSale, createAfterSale, waitForCase } from '../after-sale/fixtures';
import { act, complaintBody, createComplaint, publishComplaintPolicy, waitForComplaint } from './fixtures';

let system: CaseSystem;
let api: ApiClient;
let quickPolicy: string;
let slowPolicy: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'complaint-survey' });
  api = apiClient(system.baseUrl);
  // Sent 1 s after close, reminded 2 s later, expires 5 s after sending.
  quickPolicy = await publishComplaintPolicy(api, { survey: { delay: 1, reminder: 2, expiry: 5 }, reminders: 1 });
  // Sent at once-ish, open for a long time: for answers.
  slowPolicy = await publishComplaintPolicy(api, { survey: { delay: 1, reminder: 600, expiry: 3600 } });
});
afterAll(async () => system?.close());

async function closedComplaint(policyId: string, overrides: Record<string, unknown> = {}): Promise<any> {
  const created = await createComplaint(api, complaintBody({ policyId, ...overrides }));
  await act(api, created.id, 'acknowledge', 'dev-agent');
  await act(api, created.id, 'resolve', 'dev-agent');
  return act(api, created.id, 'accept-solution', 'dev-channel');
}

const callback = (body: Record<string, unknown>, key = 'dev-channel') => api.post('/v1/callbacks/satisfaction', body, { key, idempotencyKey: null });
const surveySent = (caseId: string) => eventually(async () => {
  if (system.adapters.notifications.sent(caseId, 'survey.sent').length !== 1) throw new Error('survey not sent yet');
});
/** The survey's outcome; the case starts its survey just after it closes, so wait until the survey exists. */
const surveyResult = async (caseId: string) => {
  const handle = system.client.workflow.getHandle(`${caseId}:survey`);
  await eventually(() => handle.describe());
  return handle.result() as Promise<any>;
};

describe('no answer', () => {
  it('one survey, one reminder, then no_response; a late callback is 409 survey-closed', async () => {
    const closed = await closedComplaint(quickPolicy);
    const result = await surveyResult(closed.id);
    expect(result).toMatchObject({ result: 'no_response', score: null, recovery: 'none' });
    expect(system.adapters.notifications.sent(closed.id).map((n) => n.type).sort()).toEqual(['survey.reminder', 'survey.sent']);
    expect(system.adapters.notifications.sent(closed.id, 'survey.sent')[0].to).toEqual({ customerRef: 'cust-9c1d' });
    await eventually(async () => expect(system.adapters.events.events(closed.id).map((e) => [e.type, e.data.result]))
      .toContainEqual(['survey.recorded', 'no_response']));

    const late = await callback({ caseId: closed.id, score: 4 });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ type: '/problems/survey-closed', status: 409 });
  });
});

describe('answers', () => {
  it('a duplicate callback is 202 and changes nothing; a different later answer is refused', async () => {
    const closed = await closedComplaint(slowPolicy);
    await surveySent(closed.id);
    const first = await callback({ caseId: closed.id, score: 5, comment: 'quick and kind', requestId: 'svy-1' });
    expect(first).toMatchObject({ status: 202, body: { caseId: closed.id, duplicate: false } });
    const again = await callback({ caseId: closed.id, score: 5, comment: 'quick and kind', requestId: 'svy-1' });
    expect(again).toMatchObject({ status: 202, body: { duplicate: true } });
    expect(await surveyResult(closed.id)).toMatchObject({ result: 'score', score: 5, recovery: 'none' });
    expect((await callback({ caseId: closed.id, score: 5, comment: 'quick and kind', requestId: 'svy-1' })).status).toBe(202);
    expect((await callback({ caseId: closed.id, score: 1, requestId: 'svy-2' })).status).toBe(409);
    expect(system.adapters.notifications.sent(closed.id, 'survey.sent')).toHaveLength(1);
    const view = (await api.get(`/v1/complaints/${closed.id}`, { key: 'dev-supervisor' })).body;
    expect(view).toMatchObject({ status: 'closed', reopenCount: 0 });
  });

  it('an answer given while the survey is still publishing that it was sent is published too (events, projection)', async () => {
    const closed = await closedComplaint(slowPolicy);
    // The notification is out; the survey.sent event is being published right now: answer at once.
    await surveySent(closed.id);
    expect((await callback({ caseId: closed.id, score: 4, requestId: 'svy-race' })).status).toBe(202);
    expect(await surveyResult(closed.id)).toMatchObject({ result: 'score', score: 4 });
    await eventually(async () => expect(system.adapters.events.events(closed.id).map((e) => [e.type, e.data.result, e.data.score]))
      .toContainEqual(['survey.recorded', 'score', 4]), { timeoutMs: 10_000 });
    const view = await eventually(async () => {
      const answer = await api.get(`/v1/complaints/${closed.id}`, { key: 'dev-supervisor' });
      if (answer.body.satisfaction?.status !== 'answered') throw new Error(`satisfaction ${JSON.stringify(answer.body.satisfaction)}`);
      return answer.body;
    }, { timeoutMs: 10_000 });
    expect(view.satisfaction).toMatchObject({ status: 'answered', score: 4 });
  });

  it('checks: unknown case 404, a non-channel key 403, a score outside 1-5 400', async () => {
    expect((await callback({ caseId: 'cp_00000000000000000000000000000000', score: 3 })).status).toBe(404);
    const closed = await closedComplaint(slowPolicy);
    expect((await callback({ caseId: closed.id, score: 3 }, 'dev-agent')).status).toBe(403);
    expect((await callback({ caseId: closed.id, score: 6 })).status).toBe(400);
  });
});

describe('satisfaction in case views and reports (CSAT)', () => {
  it('a closed case shows its survey; the report counts decided surveys: average, responses, response rate', async () => {
    const merchantId = `m-csat-${Date.now().toString(36)}`;
    const from = new Date(Date.now() - 1_000).toISOString();
    const answered = await closedComplaint(slowPolicy, { merchantId });
    const silent = await closedComplaint(quickPolicy, { merchantId });
    await surveySent(answered.id);
    // The case shows its survey from the projection, which the survey's events keep: a moment behind them.
    const satisfactionOf = (id: string, status: string) => eventually(async () => {
      const view = (await api.get(`/v1/complaints/${id}`, { key: 'dev-supervisor' })).body;
      if (view.satisfaction?.status !== status) throw new Error(`satisfaction ${JSON.stringify(view.satisfaction)}`);
      return view;
    }, { timeoutMs: 10_000 });
    const sentView = await satisfactionOf(answered.id, 'sent');
    expect(sentView.satisfaction).toEqual({ surveyId: `${answered.id}:survey`, status: 'sent', score: null });
    expect((await callback({ caseId: answered.id, score: 4, comment: 'fine', requestId: 'svy-csat' })).status).toBe(202);
    await surveyResult(answered.id);
    await surveyResult(silent.id);

    const answeredView = await satisfactionOf(answered.id, 'answered');
    expect(answeredView.satisfaction).toEqual({ surveyId: `${answered.id}:survey`, status: 'answered', score: 4 });
    expect(JSON.stringify(answeredView)).not.toContain('fine');
    expect((await satisfactionOf(silent.id, 'expired')).satisfaction).toMatchObject({ status: 'expired', score: null });
    const open = await createComplaint(api, complaintBody({ policyId: slowPolicy, merchantId }));
    expect((await api.get(`/v1/complaints/${open.id}`, { key: 'dev-supervisor' })).body.satisfaction).toBeUndefined();

    const report = await eventually(async () => {
      const answer = await api.get(`/v1/reports/service-levels?merchantId=${merchantId}&from=${encodeURIComponent(from)}`, { key: 'dev-supervisor' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const mine = answer.body.merchants[0];
      if (!mine || mine.cases < 3) throw new Error(`not all visible yet: ${JSON.stringify(mine)}`);
      return mine;
    });
    expect(report.csat).toEqual({ average: 4, surveys: 2, responses: 1, responseRate: 0.5 });
  });
});

describe('service recovery', () => {
  it('a score of 2 or less reopens the complaint at L2 inside its reopen window', async () => {
    const closed = await closedComplaint(slowPolicy);
    await surveySent(closed.id);
    expect((await callback({ caseId: closed.id, score: 2, requestId: 'svy-low' })).status).toBe(202);
    const reopened = await waitForComplaint(api, closed.id, (v) => v.status === 'in_progress');
    expect(reopened).toMatchObject({ escalationLevel: 2, owner: { role: 'supervisor', tier: 'L2' }, reopenCount: 1 });
    expect(reopened.timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(['survey.low_score', 'case.reopened', 'case.escalated']));
    expect(await surveyResult(closed.id)).toMatchObject({ score: 2, recovery: 'reopened', recoveryCaseId: closed.id });
  });

  it('a low score on an after-sale opens a new L2 complaint linked to it', async () => {
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId: slowPolicy }));
    await actOnAfterSale(api, created.id, 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
    await waitForCase(api, created.id, (v) => v.status === 'closed');
    await surveySent(created.id);
    expect((await callback({ caseId: created.id, score: 1 })).status).toBe(202);
    const recoveryId = caseIdOf('complaint', createHash('sha256').update(`${created.id}\nservice-recovery`).digest('hex'));
    expect(await surveyResult(created.id)).toMatchObject({ recovery: 'new_complaint', recoveryCaseId: recoveryId });
    const recovery = await waitForComplaint(api, recoveryId, () => true);
    expect(recovery).toMatchObject({
      status: 'new', escalationLevel: 2, owner: { role: 'supervisor', tier: 'L2' }, category: 'service_recovery', relatedCaseId: created.id,
      links: [{ id: created.id, kind: 'after_sale', relation: 'recovery_of' }],
    });
  });
});
