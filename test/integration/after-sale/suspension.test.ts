/**
 * Suspension over HTTP with real timers: a suspended case does not time out, resumes on its own at the
 * suspension's limit and then defaults; a person may resume earlier; extend-deadline moves a deadline
 * with an audited reason. (Working-time arithmetic across a pause is tabled in the unit tests.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { act, afterSaleBody, createAfterSale, deadline, publishShortPolicy, timelineTypes, waitForCase } from './fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'after-sale-suspension' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('suspension', () => {
  it('a suspended case does not time out, resumes by itself at the limit, then its clock runs again', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 3, suspension: 6 });
    const created = await createAfterSale(api, afterSaleBody({ type: 'refund_only', policyId }));
    const originalDue = Date.parse(deadline(created, 'merchantResponse').dueAt);
    const suspended = await act(api, created.id, 'suspend', 'dev-supervisor', { reason: 'negotiation', actorRef: 'lead-1' });
    const since = Date.parse(suspended.suspension.since);
    expect(suspended).toMatchObject({ status: 'suspended', owner: { role: 'supervisor', tier: 'L2' }, suspension: { reason: 'negotiation' } });
    expect(deadline(suspended, 'merchantResponse').pausedAt).toBeDefined();

    // Past the original due time (and ~1.5 s before the limit): still suspended, not approved.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, originalDue - Date.now()) + 1_500));
    expect(Date.now()).toBeGreaterThan(originalDue + 1_000);
    const still = (await api.get(`/v1/after-sales/${created.id}`, { key: 'dev-supervisor' })).body;
    expect(still.status).toBe('suspended');
    expect(deadline(still, 'merchantResponse').state).toBe('active');

    const resumed = await waitForCase(api, created.id, (v) => v.status !== 'suspended', 15_000);
    expect(resumed.suspension).toBeNull();
    expect(deadline(resumed, 'suspension').state).toBe('breached');
    // The clock runs again from the limit itself, however late the timer fired: exactly the 6 s stopped.
    expect(Date.parse(suspended.suspension.resumesAt)).toBe(since + 6_000);
    expect(Date.parse(deadline(suspended, 'suspension').dueAt)).toBe(since + 6_000);
    expect(deadline(resumed, 'merchantResponse').stoppedMs).toBe(6_000);
    expect(Date.parse(deadline(resumed, 'merchantResponse').dueAt) - originalDue).toBe(6_000);
    const resumedEntry = resumed.timeline.find((e: any) => e.type === 'case.resumed');
    expect(resumedEntry).toMatchObject({ actor: 'system', data: { stoppedMs: 6_000 } });
    // Timers may fire up to a second or so late on two busy cores.
    expect(Date.parse(resumedEntry.at) - since).toBeGreaterThanOrEqual(6_000);
    expect(Date.parse(resumedEntry.at) - since).toBeLessThan(7_500);

    const closed = await waitForCase(api, created.id, (v) => v.status === 'closed', 20_000);
    expect(closed.outcome).toBe('refunded');
    expect(deadline(closed, 'merchantResponse').state).toBe('breached');
  });

  it('a person resumes earlier; extend-deadline is audited and role-checked', async () => {
    const policyId = await publishShortPolicy(api, {});
    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, created.id, 'suspend', 'dev-arbiter', { reason: 'legal_proof', actorRef: 'arb-1' });
    const resumed = await act(api, created.id, 'resume', 'dev-arbiter', { actorRef: 'arb-1' });
    expect(resumed.status).toBe('awaiting_merchant');
    expect(deadline(resumed, 'suspension').state).toBe('met');
    expect(resumed.suspension).toBeNull();
    expect(resumed.timeline.find((e: any) => e.type === 'case.resumed')).toMatchObject({ actor: 'arbiter', actorRef: 'arb-1' });
    expect(timelineTypes(resumed)).toEqual(expect.arrayContaining(['action.suspend', 'action.resume', 'case.resumed']));

    const before = Date.parse(deadline(resumed, 'merchantResponse').dueAt);
    const extended = await act(api, created.id, 'extend-deadline', 'dev-supervisor', {
      deadline: 'merchantResponse', by: { amount: 2, unit: 'hours' }, reason: 'merchant warehouse closed for inventory', actorRef: 'lead-2',
    });
    expect(Date.parse(deadline(extended, 'merchantResponse').dueAt) - before).toBe(2 * 3_600_000);
    expect(extended.timeline.at(-1)).toMatchObject({ type: 'deadline.extended', actorRef: 'lead-2', data: { name: 'merchantResponse', reason: 'merchant warehouse closed for inventory' } });

    const path = `/v1/after-sales/${created.id}/actions/extend-deadline`;
    expect((await api.post(path, { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' }, reason: 'x', actorRef: 'm' }, { key: 'dev-merchant-a' })).status).toBe(403);
    expect((await api.post(path, { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' }, actorRef: 'lead-2' }, { key: 'dev-supervisor' })).status).toBe(400);
    expect((await api.post(path, { deadline: 'repair', by: { amount: 1, unit: 'hours' }, reason: 'x', actorRef: 'lead-2' }, { key: 'dev-supervisor' })).status).toBe(400);
    // A calendar the case's policy does not know is refused up front, and the case still answers afterwards.
    const unknownCalendar = await api.post(path, { deadline: 'merchantResponse', by: { amount: 1, unit: 'working_days', calendar: 'no-such-calendar' }, reason: 'x', actorRef: 'lead-2' }, { key: 'dev-supervisor' });
    expect(unknownCalendar.status, JSON.stringify(unknownCalendar.body)).toBe(400);
    const again = await act(api, created.id, 'extend-deadline', 'dev-arbiter', {
      deadline: 'merchantResponse', by: { amount: 30, unit: 'minutes' }, reason: 'buyer asked for time to answer', actorRef: 'arb-2',
    });
    expect(Date.parse(deadline(again, 'merchantResponse').dueAt) - before).toBe(2 * 3_600_000 + 30 * 60_000);
  });
});
