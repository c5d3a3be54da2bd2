/**
 * Solutions on the real server: a rejected, then accepted refund runs a linked after-sale (child
 * workflow) to exactly one refund and the complaint resolves on its signal; money above the proposer's
 * authority waits for a supervisor, never the proposer (four-eyes → 403).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseIdOf } from '../../../workflows/domain/case-ids';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { act, cny, complaintBody, createComplaint, publishComplaintPolicy, timelineTypes, waitForComplaint } from './fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'complaint-solutions' });
  api = apiClient(system.baseUrl);
  policyId = await publishComplaintPolicy(api, { authorityLimits: { agent: 10_000, supervisor: 50_000 } });
});
afterAll(async () => system?.close());

const linkedId = (complaintId: string, solution: number) =>
  caseIdOf('after_sale', createHash('sha256').update(`${complaintId}\nsolution\n${solution}`).digest('hex'));

describe('a refund solution', () => {
  it('rejected, then accepted: one child after-sale, exactly one refund, the complaint closes after it', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    await act(api, created.id, 'acknowledge', 'dev-agent', { actorRef: 'agent-1' });
    await act(api, created.id, 'propose-solution', 'dev-agent', { actorRef: 'agent-1', solution: { kind: 'refund', amount: cny(3_000), description: 'partial refund' } });
    await act(api, created.id, 'reject-solution', 'dev-channel', { reason: 'too little' });
    await act(api, created.id, 'propose-solution', 'dev-agent', { actorRef: 'agent-1', solution: { kind: 'refund', amount: cny(8_000) } });
    const accepted = await act(api, created.id, 'accept-solution', 'dev-channel');
    const childId = linkedId(created.id, 2);
    expect(accepted.status).toBe('implementing');
    expect(accepted.links).toContainEqual({ id: childId, kind: 'after_sale', relation: 'solution' });

    const resolved = await waitForComplaint(api, created.id, (v) => v.status === 'resolved');
    expect(timelineTypes(resolved)).toEqual(expect.arrayContaining(['linked_case.started', 'linked_case.closed', 'case.resolved']));
    expect(resolved.solutions[1].linkedCase).toMatchObject({ id: childId, started: true, closed: { outcome: 'partially_refunded', refunded: cny(8_000) } });

    const child = (await api.get(`/v1/after-sales/${childId}`, { key: 'dev-supervisor' })).body;
    expect(child).toMatchObject({ status: 'closed', outcome: 'partially_refunded', links: [{ id: created.id, kind: 'complaint', relation: 'origin' }] });
    expect(system.adapters.payments.entriesFor(childId)).toEqual([expect.objectContaining({ amount: cny(8_000) })]);
    expect(system.adapters.payments.entries().filter((e) => e.caseId === childId || e.caseId === created.id)).toHaveLength(1);

    const closed = await act(api, created.id, 'accept-solution', 'dev-channel');
    expect(closed).toMatchObject({ status: 'closed', outcome: 'resolved' });
    expect(closed.timeline.find((e: any) => e.type === 'case.archived').data.record.solutions).toEqual([
      expect.objectContaining({ number: 1, kind: 'refund', state: 'rejected' }),
      expect.objectContaining({ number: 2, kind: 'refund', state: 'accepted', linkedCaseId: childId, linkedOutcome: 'partially_refunded' }),
    ]);
  });

  it('a refund needs the order: without orderId and order it is a 400; above what was paid a 422', async () => {
    const created = await createComplaint(api, complaintBody({ policyId, orderId: undefined, order: undefined }));
    await act(api, created.id, 'acknowledge', 'dev-agent');
    const missing = await api.post(`/v1/complaints/${created.id}/actions/propose-solution`, { solution: { kind: 'refund', amount: cny(100) } }, { key: 'dev-agent' });
    expect(missing.status).toBe(400);
    const withOrder = await createComplaint(api, complaintBody({ policyId }));
    await act(api, withOrder.id, 'acknowledge', 'dev-agent');
    const tooMuch = await api.post(`/v1/complaints/${withOrder.id}/actions/propose-solution`, { solution: { kind: 'refund', amount: cny(99_999) } }, { key: 'dev-agent' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ type: '/problems/not-eligible', rule: 'refund-above-paid' });
  });
});

describe('authority limits and four eyes', () => {
  it('an agent above its limit waits for a supervisor; the proposer approving is a 403', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    await act(api, created.id, 'acknowledge', 'dev-agent');
    const waiting = await act(api, created.id, 'propose-solution', 'dev-agent', { actorRef: 'agent-1', solution: { kind: 'compensation', amount: cny(12_000) } });
    expect(waiting.solutions[0].state).toBe('awaiting_approval');
    expect(waiting.deadlines.find((d: any) => d.name === 'solutionApproval')).toMatchObject({ state: 'active', actor: 'supervisor' });
    const early = await api.post(`/v1/complaints/${created.id}/actions/accept-solution`, {}, { key: 'dev-channel' });
    expect(early.status).toBe(409);

    const self = await api.post(`/v1/complaints/${created.id}/actions/approve-solution`, { actorRef: 'agent-1' }, { key: 'dev-supervisor' });
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ type: '/problems/forbidden', rule: 'four-eyes' });
    const byAgent = await api.post(`/v1/complaints/${created.id}/actions/approve-solution`, { actorRef: 'agent-2' }, { key: 'dev-agent' });
    expect(byAgent.status).toBe(403);

    const approved = await act(api, created.id, 'approve-solution', 'dev-supervisor', { actorRef: 'lead-2' });
    expect(approved.solutions[0]).toMatchObject({ state: 'proposed', approvedBy: { actorRef: 'lead-2' } });
    expect((await act(api, created.id, 'accept-solution', 'dev-channel')).status).toBe('implementing');
  });

  it('a supervisor above its own limit needs another supervisor', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    await act(api, created.id, 'acknowledge', 'dev-supervisor');
    await act(api, created.id, 'propose-solution', 'dev-supervisor', { actorRef: 'lead-1', solution: { kind: 'compensation', amount: cny(60_000) } });
    const self = await api.post(`/v1/complaints/${created.id}/actions/approve-solution`, { actorRef: 'lead-1' }, { key: 'dev-supervisor' });
    expect(self.status).toBe(403);
    await act(api, created.id, 'approve-solution', 'dev-supervisor', { actorRef: 'lead-2' });
  });

  it('within its limit an agent proposes straight to the customer', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    await act(api, created.id, 'acknowledge', 'dev-agent');
    const proposed = await act(api, created.id, 'propose-solution', 'dev-agent', { actorRef: 'agent-1', solution: { kind: 'compensation', amount: cny(10_000) } });
    expect(proposed.solutions[0].state).toBe('proposed');
    await eventually(async () => expect(proposed.deadlines.find((d: any) => d.name === 'customerDecision').state).toBe('active'));
  });
});
