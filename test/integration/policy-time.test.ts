/**
 * Business time through the API on a real server: versioned calendars (holidays and make-up workdays per
 * year), previews computed by the workflows' clock, selection rules picking a policy, a case keeping its
 * policy version after a new one is published, and a policy pinning its custom calendar by value.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { apiClient, type ApiClient } from '../support/http';
import { createApiContext } from '../../api/context';
import { choosePolicyFor } from '../../api/policy-store';
import { afterSaleBody, createAfterSale } from './after-sale/fixtures';
import { complaintBody, createComplaint } from './complaint/fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'policy-time' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

const calendarId = `cal-${randomUUID().slice(0, 8)}`;
const calendar = {
  name: 'Shop hours', timeZone: 'Asia/Shanghai',
  workingHours: { 1: [{ start: '09:00', end: '18:00' }], 2: [{ start: '09:00', end: '18:00' }], 3: [{ start: '09:00', end: '18:00' }], 4: [{ start: '09:00', end: '18:00' }], 5: [{ start: '09:00', end: '18:00' }] },
  holidays: { 2026: ['2026-10-01', '2026-10-02'] },
  makeUpWorkdays: { 2026: ['2026-10-10'] },
};

describe('calendars', () => {
  it('publishes versions, refuses built-ins, non-admins and broken calendars', async () => {
    const first = await api.put(`/v1/calendars/${calendarId}`, calendar, { key: 'dev-admin' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ id: calendarId, version: 1, builtIn: false, holidays: { 2026: ['2026-10-01', '2026-10-02'] }, makeUpWorkdays: { 2026: ['2026-10-10'] } });
    expect((await api.put(`/v1/calendars/${calendarId}`, calendar, { key: 'dev-admin' })).status).toBe(200);
    const second = await api.put(`/v1/calendars/${calendarId}`, { ...calendar, holidays: { 2026: ['2026-10-01', '2026-10-02', '2026-10-05'] } }, { key: 'dev-admin' });
    expect(second.body.version).toBe(2);
    expect((await api.get(`/v1/calendars/${calendarId}`, { key: 'dev-agent' })).body.version).toBe(2);
    expect((await api.get('/v1/calendars', { key: 'dev-agent' })).body.calendars.map((c: any) => c.id)).toEqual(expect.arrayContaining(['24x7', 'cn-workdays', 'jd-evidence']));
    expect((await api.put('/v1/calendars/cn-workdays', calendar, { key: 'dev-admin' })).status).toBe(409);
    expect((await api.put(`/v1/calendars/${calendarId}`, calendar, { key: 'dev-supervisor' })).status).toBe(403);
    expect((await api.put(`/v1/calendars/${calendarId}`, { ...calendar, timeZone: 'Mars/Olympus' }, { key: 'dev-admin' })).status).toBe(400);
    expect((await api.put(`/v1/calendars/${calendarId}`, { ...calendar, workingHours: { 1: [{ start: '18:00', end: '09:00' }] } }, { key: 'dev-admin' })).status).toBe(400);
  });
});

describe('preview', () => {
  it('answers the presets\' documented instants', async () => {
    const answer = await api.post('/v1/policies/cn-jd-dispute/preview', {
      kind: 'after_sale', events: { requestedAt: '2026-11-20T10:00:00+08:00', evidenceRequestedAt: '2026-11-20T14:01:00+08:00' },
    }, { key: 'dev-channel', idempotencyKey: null });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const byName = Object.fromEntries(answer.body.deadlines.map((d: any) => [d.name, d]));
    expect(byName.merchantResponse).toMatchObject({ dueAt: '2026-11-25T10:00:00.000+08:00', actor: 'merchant', onTimeout: 'auto_approve', startsFrom: 'requestedAt' });
    expect(byName.evidence.dueAt).toBe('2026-11-21T09:01:00.000+08:00');
    expect((await api.post('/v1/policies/nope-nope/preview', { kind: 'after_sale' }, { key: 'dev-channel', idempotencyKey: null })).status).toBe(404);
    expect((await api.post('/v1/policies/cn-marketplace/preview', { kind: 'after_sale', events: { soon: 'x' } }, { key: 'dev-channel', idempotencyKey: null })).status).toBe(400);
  });

  it('counts a custom calendar embedded in a policy: working days skip the published holidays', async () => {
    const id = `pol-${randomUUID().slice(0, 8)}`;
    const published = await api.put(`/v1/policies/${id}`, {
      name: 'Working-day receipt', extends: 'cn-marketplace',
      afterSale: { deadlines: { merchantReceipt: { amount: 2, unit: 'working_days', calendar: calendarId } } },
    }, { key: 'dev-admin' });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    // Shipped Wed 30 Sep; 1-2 Oct and 5 Oct are holidays in version 2, 3-4 Oct a weekend: the two working days are 6 and 7 Oct.
    const answer = await api.post(`/v1/policies/${id}/preview`, { kind: 'after_sale', events: { requestedAt: '2026-09-28T10:00:00+08:00', shippedAt: '2026-09-30T11:00:00+08:00' } }, { key: 'dev-channel', idempotencyKey: null });
    expect(answer.body.deadlines.find((d: any) => d.name === 'merchantReceipt').dueAt).toBe('2026-10-07T18:00:00.000+08:00');
    // The policy pinned calendar version 2 by value: a later calendar version does not move it.
    await api.put(`/v1/calendars/${calendarId}`, { ...calendar, holidays: { 2026: [] } }, { key: 'dev-admin' });
    const again = await api.post(`/v1/policies/${id}/preview`, { kind: 'after_sale', events: { requestedAt: '2026-09-28T10:00:00+08:00', shippedAt: '2026-09-30T11:00:00+08:00' } }, { key: 'dev-channel', idempotencyKey: null });
    expect(again.body.deadlines.find((d: any) => d.name === 'merchantReceipt').dueAt).toBe('2026-10-07T18:00:00.000+08:00');
  });
});

describe('selection and pinning', () => {
  it('a request without policyId gets the policy the rules pick; a case keeps its version after v2', async () => {
    const id = `sel-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/policies/${id}`, { name: 'v1', extends: 'cn-marketplace' }, { key: 'dev-admin' })).status).toBe(201);
    const rules = { rules: [{ policyId: id, when: { merchantId: ['m-b'], kind: ['after_sale'] } }] };
    expect((await api.put('/v1/policy-selection', rules, { key: 'dev-agent' })).status).toBe(403);
    const put = await api.put('/v1/policy-selection', rules, { key: 'dev-admin' });
    expect(put.status, JSON.stringify(put.body)).toBe(201);

    const picked = await createAfterSale(api, afterSaleBody({ merchantId: 'm-b' }));
    expect(picked.policy).toEqual({ id, version: 1 });
    const other = await createAfterSale(api, afterSaleBody({ merchantId: 'm-a' }));
    expect(other.policy).toEqual({ id: 'cn-marketplace', version: 1 });

    expect((await api.put(`/v1/policies/${id}`, { name: 'v2', extends: 'cn-marketplace', afterSale: { deadlines: { merchantResponse: { amount: 1, unit: 'hours' } } } }, { key: 'dev-admin' })).body.version).toBe(2);
    const kept = (await api.get(`/v1/after-sales/${picked.id}`, { key: 'dev-supervisor' })).body;
    expect(kept.policy).toEqual({ id, version: 1 });
    expect(Date.parse(kept.deadlines[0].dueAt) - Date.parse(kept.createdAt)).toBeGreaterThan(100 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const newer = await createAfterSale(api, afterSaleBody({ merchantId: 'm-b' }));
    expect(newer.policy).toEqual({ id, version: 2 });
    await api.put('/v1/policy-selection', { rules: [] }, { key: 'dev-admin' });
  });

  it('rules naming an unknown policy are refused by name; choosePolicyFor answers the matching rule\'s index', async () => {
    const id = `sel-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/policies/${id}`, { name: 'vip complaints', extends: 'cn-marketplace' }, { key: 'dev-admin' })).status).toBe(201);
    const refused = await api.put('/v1/policy-selection', { rules: [{ policyId: 'never-published', when: {} }] }, { key: 'dev-admin' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ unknownPolicies: ['never-published'] });
    expect(refused.body.detail).toContain('never-published');

    const rules = { rules: [
      { policyId: 'cn-jd-dispute', when: { merchantId: ['m-jd'], kind: ['after_sale'], type: ['return_and_refund'] } },
      { policyId: id, when: { kind: ['complaint'], customerTier: ['vip'] } },
    ] };
    const put = await api.put('/v1/policy-selection', rules, { key: 'dev-admin' });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect((await api.get('/v1/policy-selection', { key: 'dev-agent' })).body).toMatchObject({ ...rules, version: put.body.version, defaultPolicyId: 'cn-marketplace' });

    // The store function the create routes call, on its own context against the real server.
    const ctx = createApiContext({ client: system.client, taskQueue: system.taskQueue, namespace: system.client.options.namespace });
    const cases: Array<[Parameters<typeof choosePolicyFor>[1], Awaited<ReturnType<typeof choosePolicyFor>>]> = [
      [{ merchantId: 'm-jd', kind: 'after_sale', type: 'return_and_refund' }, { policyId: 'cn-jd-dispute', rule: 0 }],
      [{ merchantId: 'm-jd', kind: 'after_sale', type: 'repair' }, { policyId: 'cn-marketplace' }],
      [{ merchantId: 'm-a', kind: 'complaint', customerTier: 'vip' }, { policyId: id, rule: 1 }],
      [{ merchantId: 'm-a', kind: 'complaint', customerTier: 'regular' }, { policyId: 'cn-marketplace' }],
    ];
    for (const [facts, expected] of cases) expect(await choosePolicyFor(ctx, facts), JSON.stringify(facts)).toEqual(expected);

    // And through the complaint create route, which passes the customer's tier.
    const vip = await createComplaint(api, complaintBody({ customerTier: 'vip' }));
    expect(vip.policy).toEqual({ id, version: 1 });
    await api.put('/v1/policy-selection', { rules: [] }, { key: 'dev-admin' });
  });
});
