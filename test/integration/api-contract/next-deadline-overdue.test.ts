/**
 * "Due soonest" queues sort by the NextDeadline search attribute. A complaint that climbed to L4 and let
 * every target pass has no deadline running any more; it must not drop out of those queues: its
 * NextDeadline is its earliest overdue due time. Real worker, real dev server, second-level targets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextDeadline } from '../../../workflows/search-attributes';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { complaintBody, createComplaint, publishComplaintPolicy, waitForComplaint } from '../complaint/fixtures';

let system: CaseSystem;
let api: ApiClient;
let policyId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'next-deadline-overdue' });
  api = apiClient(system.baseUrl);
  // P1 targets of seconds: each tier's first response breaches in 2 s, the resolution target in 10 s.
  policyId = await publishComplaintPolicy(api, { targets: { P1: { firstResponse: 2, resolution: 10 } } });
});
afterAll(async () => system?.close());

describe('NextDeadline of a complaint past every target', () => {
  it('an L4 complaint with every target breached is due since its earliest breach', async () => {
    const created = await createComplaint(api, complaintBody({ policyId, severity: 'high', urgency: 'high', customerTier: 'regular' }));
    expect(created.priority).toBe('P1');

    const overdue = await waitForComplaint(api, created.id, (v) => v.escalationLevel === 4
      && v.deadlines.some((d: any) => d.state === 'breached')
      && !v.deadlines.some((d: any) => d.state === 'active'), 60_000);
    expect(overdue.owner).toEqual({ role: 'arbiter', tier: 'L4' });
    const earliestBreach = Math.min(...overdue.deadlines.filter((d: any) => d.state === 'breached').map((d: any) => Date.parse(d.dueAt)));

    // Visibility is eventually consistent: poll until the attribute is there.
    const next = await eventually(async () => {
      const value = (await system.client.workflow.getHandle(created.id).describe()).typedSearchAttributes.get(NextDeadline);
      if (!value) throw new Error('no NextDeadline');
      return value;
    }, { timeoutMs: 20_000 });
    expect(next.getTime()).toBe(earliestBreach);

    // And the case is found by a "due before now" query, as a supervisor's queue would ask.
    const listed = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of system.client.workflow.list({ query: `WorkflowId = '${created.id}' AND NextDeadline < '${new Date().toISOString()}'` })) ids.push(wf.workflowId);
      if (ids.length === 0) throw new Error('not listed yet');
      return ids;
    }, { timeoutMs: 20_000 });
    expect(listed).toEqual([created.id]);
  });
});
