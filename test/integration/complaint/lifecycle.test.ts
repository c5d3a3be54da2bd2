/**
 * A complaint end to end on the real server: received, answered, a solution proposed and accepted,
 * resolved, confirmed and closed with its archive record; department tasks; reopen within the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { act, complaintBody, createComplaint, publishComplaintPolicy, timelineTypes, waitForComplaint } from './fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'complaint-lifecycle' });
  api = apiClient(system.baseUrl);
  policyId = await publishComplaintPolicy(api);
});
afterAll(async () => system?.close());

describe('the six steps', () => {
  it('create → acknowledge → propose apology → accept → resolve → confirm → closed and archived', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    expect(created).toMatchObject({ kind: 'complaint', status: 'new', priority: 'P3', escalationLevel: 1, owner: { role: 'agent', tier: 'L1' }, outcome: null });
    expect(created.id).toMatch(/^cp_[0-9a-f]{32}$/);
    expect(created.deadlines.map((d: any) => [d.name, d.state])).toEqual([['firstResponse', 'active'], ['resolution', 'active']]);

    const answered = await act(api, created.id, 'acknowledge', 'dev-agent', { actorRef: 'agent-7' });
    expect(answered.status).toBe('in_progress');
    expect(answered.deadlines.find((d: any) => d.name === 'firstResponse').state).toBe('met');
    expect(answered.allowedActions).toEqual(expect.arrayContaining(['propose-solution', 'resolve', 'create-task', 'escalate']));

    const proposed = await act(api, created.id, 'propose-solution', 'dev-agent', { actorRef: 'agent-7', solution: { kind: 'apology', description: 'apology and a voucher' } });
    expect(proposed.status).toBe('solution_proposed');
    const channelView = await api.get(`/v1/complaints/${created.id}`, { key: 'dev-channel' });
    expect(channelView.body.allowedActions).toEqual(['accept-solution', 'reject-solution', 'escalate']);

    expect((await act(api, created.id, 'accept-solution', 'dev-channel')).status).toBe('implementing');
    expect((await act(api, created.id, 'resolve', 'dev-agent', { actorRef: 'agent-7' })).status).toBe('resolved');
    const closed = await act(api, created.id, 'accept-solution', 'dev-channel');
    expect(closed).toMatchObject({ status: 'closed', outcome: 'resolved', owner: null });
    expect(closed.allowedActions).toEqual(['reopen']);
    const archived = closed.timeline.find((e: any) => e.type === 'case.archived');
    expect(archived.data.record).toMatchObject({
      caseId: created.id, category: 'product_quality', priority: 'P3', outcome: 'resolved', escalationLevel: 1,
      solutions: [expect.objectContaining({ kind: 'apology', state: 'accepted' })],
    });
    expect(archived.data.record.timings.firstResponseSeconds).toEqual(expect.any(Number));
    // The archive record leaves through the event adapter like every timeline entry.
    await waitForComplaint(api, created.id, () => system.adapters.events.events(created.id).some((e) => e.type === 'case.archived'));
  });

  it('open department tasks keep a confirmed complaint awaiting feedback until the last result', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    await act(api, created.id, 'acknowledge', 'dev-agent');
    const withTask = await act(api, created.id, 'create-task', 'dev-agent', { department: 'warehouse', description: 'check the batch for leaks' });
    expect(withTask.tasks).toEqual([expect.objectContaining({ id: 'task-1', department: 'warehouse', state: 'open' })]);
    expect(withTask.deadlines.find((d: any) => d.name === 'departmentTask')).toMatchObject({ state: 'active', taskId: 'task-1' });
    await act(api, created.id, 'resolve', 'dev-agent');
    expect((await act(api, created.id, 'accept-solution', 'dev-channel')).status).toBe('awaiting_feedback');
    const closed = await act(api, created.id, 'complete-task', 'dev-agent', { taskId: 'task-1', result: 'batch 2207 sealed badly; supplier informed' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'resolved' });
    expect(closed.timeline.find((e: any) => e.type === 'case.archived').data.record.departmentFeedback).toEqual([
      { department: 'warehouse', state: 'done', result: 'batch 2207 sealed badly; supplier informed' },
    ]);
  });

  it('the customer reopens within the reopen window; assign names one person as owner', async () => {
    const created = await createComplaint(api, complaintBody({ policyId }));
    const assigned = await act(api, created.id, 'assign', 'dev-supervisor', { assignee: 'agent-42' });
    expect(assigned.owner).toEqual({ role: 'agent', tier: 'L1', assignee: 'agent-42' });
    await act(api, created.id, 'close', 'dev-supervisor', { actorRef: 'lead-1', reason: 'duplicate of an earlier complaint' });
    const reopened = await act(api, created.id, 'reopen', 'dev-channel', { reason: 'still leaking' });
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, outcome: null, owner: { role: 'agent', tier: 'L1' } });
    expect(timelineTypes(reopened)).toContain('case.reopened');
    expect(reopened.allowedActions).not.toContain('reopen');
  });
});
