/**
 * Escalation on the real server, with second-level targets so deadlines really pass: a P1 complaint
 * warned and escalated breach by breach L1 → L2 → L3 → L4 (owner, notifications, search attributes),
 * critical or social complaints starting at L2, and a second rejected solution moving the case up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { CaseKind, CasePriority, CaseStatus, EscalationLevel, OwnerRole, SlaBreached } from '../../../workflows/search-attributes';
import { act, complaintBody, createComplaint, publishComplaintPolicy, timelineTypes, waitForComplaint } from './fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'complaint-escalation' });
  api = apiClient(system.baseUrl);
  // Only P1 answers fast: 3 s to first response, per tier.
  policyId = await publishComplaintPolicy(api, { targets: { P1: { firstResponse: 3, resolution: 3600 } } });
});
afterAll(async () => system?.close());

async function searchAttributes(id: string): Promise<Record<string, unknown>> {
  const sa = (await system.client.workflow.getHandle(id).describe()).typedSearchAttributes;
  return {
    CaseKind: sa.get(CaseKind), CasePriority: sa.get(CasePriority), CaseStatus: sa.get(CaseStatus), OwnerRole: sa.get(OwnerRole),
    EscalationLevel: sa.get(EscalationLevel), SlaBreached: sa.get(SlaBreached),
  };
}

describe('breach by breach to L4', () => {
  it('a P1 complaint nobody answers climbs L1 → L2 → L3 → L4, warned before each breach', async () => {
    const created = await createComplaint(api, complaintBody({ policyId, severity: 'high', urgency: 'high', customerTier: 'regular' }));
    expect(created).toMatchObject({ priority: 'P1', escalationLevel: 1, owner: { role: 'agent', tier: 'L1' } });

    const atL2 = await waitForComplaint(api, created.id, (v) => v.escalationLevel >= 2);
    expect(atL2.owner).toMatchObject({ role: 'supervisor', tier: 'L2' });
    const top = await waitForComplaint(api, created.id, (v) => v.escalationLevel === 4, 40_000);
    expect(top.owner).toEqual({ role: 'arbiter', tier: 'L4' });
    const escalations = top.timeline.filter((e: any) => e.type === 'case.escalated').map((e: any) => [e.data.from, e.data.to, e.data.reason]);
    expect(escalations).toEqual([['L1', 'L2', 'breach'], ['L2', 'L3', 'breach'], ['L3', 'L4', 'breach']]);
    const firstResponses = top.deadlines.filter((d: any) => d.name === 'firstResponse');
    expect(firstResponses.map((d: any) => d.actor)).toEqual(['agent', 'supervisor', 'supervisor', 'arbiter']);
    expect(firstResponses.slice(0, 3).every((d: any) => d.state === 'breached' && d.warnedAt)).toBe(true);
    expect(timelineTypes(top).filter((t) => t === 'deadline.warned').length).toBeGreaterThanOrEqual(3);

    // Each new owner is told, and the warnings went to the owner of the moment.
    const notices = await eventually(async () => {
      const sent = system.adapters.notifications.sent(created.id, 'case.escalated');
      if (sent.length < 3) throw new Error(`only ${sent.length} escalation notices`);
      return sent;
    });
    expect(notices.map((n) => n.to)).toEqual([{ role: 'supervisor', tier: 'L2' }, { role: 'supervisor', tier: 'L3' }, { role: 'arbiter', tier: 'L4' }]);
    expect(system.adapters.notifications.sent(created.id, 'sla.warning')[0]?.to).toEqual({ role: 'agent', tier: 'L1' });

    const attributes = await eventually(async () => {
      const sa = await searchAttributes(created.id);
      if (sa.EscalationLevel !== 4) throw new Error(`EscalationLevel ${String(sa.EscalationLevel)}`);
      return sa;
    });
    expect(attributes).toMatchObject({ CaseKind: 'complaint', CasePriority: 'P1', OwnerRole: 'arbiter', SlaBreached: true, CaseStatus: 'new' });
  });

  it('answered in time, a P1 complaint stays where it started', async () => {
    const created = await createComplaint(api, complaintBody({ policyId, severity: 'high', urgency: 'high' }));
    await act(api, created.id, 'acknowledge', 'dev-agent');
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const view = (await api.get(`/v1/complaints/${created.id}`, { key: 'dev-supervisor' })).body;
    expect(view.escalationLevel).toBe(1);
    expect(view.deadlines.find((d: any) => d.name === 'firstResponse').state).toBe('met');
  });
});

describe('where a complaint starts and what else moves it', () => {
  it.each([
    ['critical severity', { severity: 'critical' }, 'P1'],
    ['a social-media complaint', { channel: 'social' }, 'P3'],
  ])('%s starts at L2 with a team lead', async (_name, overrides, priority) => {
    const created = await createComplaint(api, complaintBody({ policyId, ...overrides }));
    expect(created).toMatchObject({ escalationLevel: 2, priority, owner: { role: 'supervisor', tier: 'L2' } });
    await eventually(async () => expect(await searchAttributes(created.id)).toMatchObject({ EscalationLevel: 2, OwnerRole: 'supervisor', CasePriority: priority }));
  });

  it('the second rejected solution escalates one tier', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    await act(api, created.id, 'acknowledge', 'dev-agent');
    await act(api, created.id, 'propose-solution', 'dev-agent', { solution: { kind: 'apology' } });
    const once = await act(api, created.id, 'reject-solution', 'dev-channel', { reason: 'not enough' });
    expect(once).toMatchObject({ status: 'in_progress', escalationLevel: 1 });
    await act(api, created.id, 'propose-solution', 'dev-agent', { solution: { kind: 'compensation', amount: { amount: 2_000, currency: 'CNY' } } });
    const twice = await act(api, created.id, 'reject-solution', 'dev-channel');
    expect(twice).toMatchObject({ status: 'in_progress', escalationLevel: 2, owner: { role: 'supervisor', tier: 'L2' } });
    expect(twice.timeline.at(-1)).toMatchObject({ type: 'case.escalated', data: { reason: 'rejections', from: 'L1', to: 'L2' } });
  });

  it('the customer may ask for a manager; at L4 escalate is no longer offered', async () => {
    const created = await createComplaint(api, complaintBody({ policyId, severity: 'critical' }));
    await act(api, created.id, 'escalate', 'dev-channel', { reason: 'I want a manager' });
    const top = await act(api, created.id, 'escalate', 'dev-supervisor', { actorRef: 'lead-3' });
    expect(top).toMatchObject({ escalationLevel: 4, owner: { role: 'arbiter', tier: 'L4' } });
    const refused = await api.post(`/v1/complaints/${created.id}/actions/escalate`, {}, { key: 'dev-channel' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: '/problems/action-not-allowed', caseStatus: 'new', action: 'escalate' });
  });
});
