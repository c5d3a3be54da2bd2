/**
 * Custom calendars through the API on a real server: versions listed and read back, per-year dates and
 * reserved ids checked, every calendar a policy names found or refused by name, the latest calendar
 * version pinned at each policy publish, and previews for every case kind by the workflows' clock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { apiClient, type ApiClient } from '../support/http';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'calendar-pinning' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

const admin = { key: 'dev-admin' };
const reader = { key: 'dev-merchant-a', idempotencyKey: null };
const weekdays = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]]));
const calendarId = `cal-${randomUUID().slice(0, 8)}`;
const shopCalendar = { name: 'Shop hours', timeZone: 'Asia/Shanghai', workingHours: weekdays, holidays: { 2026: ['2026-10-01', '2026-10-02'] }, makeUpWorkdays: { 2026: ['2026-10-10'] } };

describe('calendar versions', () => {
  it('lists every version and reads each back; the location names the new version', async () => {
    const first = await api.put(`/v1/calendars/${calendarId}`, shopCalendar, admin);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/calendars/${calendarId}/versions/1`);
    expect(first.body.publishedAt).toMatch(/\+08:00$/);
    const second = await api.put(`/v1/calendars/${calendarId}`, { ...shopCalendar, holidays: { 2026: ['2026-10-01'], 2027: ['2027-01-01'] } }, admin);
    expect(second.status).toBe(201);
    expect(second.body.holidays).toEqual({ 2026: ['2026-10-01'], 2027: ['2027-01-01'] });

    const versions = await api.get(`/v1/calendars/${calendarId}/versions`, reader);
    expect(versions.body.versions.map((v: any) => [v.version, v.publishedBy])).toEqual([[1, 'dev-admin'], [2, 'dev-admin']]);
    expect((await api.get(`/v1/calendars/${calendarId}/versions/1`, reader)).body.holidays).toEqual({ 2026: ['2026-10-01', '2026-10-02'] });
    expect((await api.get(`/v1/calendars/${calendarId}/versions/3`, reader)).status).toBe(404);
    expect((await api.get('/v1/calendars/never-published/versions', reader)).status).toBe(404);
    expect((await api.get('/v1/calendars/cn-workdays/versions', reader)).body.versions).toEqual([{ version: 1, publishedAt: null, publishedBy: 'built-in' }]);
    expect((await api.get('/v1/calendars/jd-evidence', reader)).body).toMatchObject({ builtIn: true, version: 1, publishedAt: null });
  });

  it('refuses dates under another year, reserved ids, a missing Idempotency-Key and a reused one', async () => {
    const misfiled = await api.put(`/v1/calendars/${calendarId}`, { ...shopCalendar, holidays: { 2027: ['2026-10-01'] } }, admin);
    expect(misfiled.status).toBe(400);
    expect(misfiled.headers.get('content-type')).toContain('application/problem+json');
    expect(misfiled.body.problems).toContain('holidays.2027 lists 2026-10-01, a date of another year');
    const overlap = await api.put(`/v1/calendars/${calendarId}`, { ...shopCalendar, makeUpWorkdays: { 2026: ['2026-10-01'] } }, admin);
    expect(overlap.status).toBe(400);
    expect(overlap.body.detail).toContain('2026-10-01 is both a holiday and a make-up workday');
    // eu-cet-24x7 travels inside the eu-14day preset: publishing it would change what that preset means.
    expect((await api.put('/v1/calendars/eu-cet-24x7', shopCalendar, admin)).status).toBe(409);
    expect((await api.put(`/v1/calendars/${calendarId}`, shopCalendar, { key: 'dev-admin', idempotencyKey: null })).status).toBe(400);
    const key = randomUUID();
    expect((await api.put(`/v1/calendars/${calendarId}`, shopCalendar, { key: 'dev-admin', idempotencyKey: key })).status).toBe(201);
    expect((await api.put(`/v1/calendars/${calendarId}`, { ...shopCalendar, name: 'other' }, { key: 'dev-admin', idempotencyKey: key })).status).toBe(422);
  });
});

describe('policies naming custom calendars', () => {
  it('an unknown calendar anywhere in a policy is refused by name and path', async () => {
    const id = `pol-${randomUUID().slice(0, 8)}`;
    const unknownDefault = await api.put(`/v1/policies/${id}`, { name: 'x', extends: 'cn-marketplace', defaultCalendar: 'no-such-cal' }, admin);
    expect(unknownDefault.status).toBe(400);
    expect(unknownDefault.body.detail).toContain('defaultCalendar: unknown calendar no-such-cal');
    const unknownTarget = await api.put(`/v1/policies/${id}`, {
      name: 'x', extends: 'cn-marketplace', complaint: { targets: { P1: { firstResponse: { amount: 1, unit: 'working_hours', calendar: 'no-such-cal' } } } },
    }, admin);
    expect(unknownTarget.status).toBe(400);
    expect(unknownTarget.body.problems).toContainEqual(expect.stringContaining('complaint.targets.P1.firstResponse.calendar: unknown calendar no-such-cal'));
  });

  it('each publish pins the latest calendar version by value; identical content then publishes nothing', async () => {
    const cal = `cal-${randomUUID().slice(0, 8)}`;
    const id = `pol-${randomUUID().slice(0, 8)}`;
    expect((await api.put(`/v1/calendars/${cal}`, shopCalendar, admin)).status).toBe(201);
    const document = { name: 'Shop receipt', extends: 'cn-marketplace', afterSale: { deadlines: { merchantReceipt: { amount: 2, unit: 'working_days', calendar: cal } } } };
    const v1 = await api.put(`/v1/policies/${id}`, document, admin);
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body.policy.calendars[cal]).toMatchObject({ id: cal, version: 1, holidays: ['2026-10-01', '2026-10-02'], makeUpWorkdays: ['2026-10-10'] });

    // Shipped Wed 30 Sep 11:00: 1-2 Oct holidays, 3-4 Oct weekend → working days 5 and 6 Oct.
    const events = { requestedAt: '2026-09-28T10:00:00+08:00', shippedAt: '2026-09-30T11:00:00+08:00' };
    const receiptDue = async (version?: number) => (await api.post(`/v1/policies/${id}/preview${version ? `?version=${version}` : ''}`, { kind: 'after_sale', events }, reader))
      .body.deadlines.find((d: any) => d.name === 'merchantReceipt').dueAt;
    expect(await receiptDue()).toBe('2026-10-06T18:00:00.000+08:00');

    expect((await api.put(`/v1/calendars/${cal}`, { ...shopCalendar, holidays: { 2026: ['2026-10-01', '2026-10-02', '2026-10-05'] } }, admin)).body.version).toBe(2);
    expect(await receiptDue()).toBe('2026-10-06T18:00:00.000+08:00');
    const v2 = await api.put(`/v1/policies/${id}`, document, admin);
    expect(v2.status).toBe(201);
    expect(v2.body.policy.calendars[cal].version).toBe(2);
    expect(await receiptDue()).toBe('2026-10-07T18:00:00.000+08:00');
    expect(await receiptDue(1)).toBe('2026-10-06T18:00:00.000+08:00');
    expect((await api.put(`/v1/policies/${id}`, document, admin)).status).toBe(200);

    // A child policy inherits the parent's pinned calendar and refreshes it to the latest at its own publish.
    await api.put(`/v1/calendars/${cal}`, { ...shopCalendar, holidays: { 2026: [] } }, admin);
    const child = await api.put(`/v1/policies/${id}-child`, { name: 'child', extends: id }, admin);
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    expect(child.body.policy.calendars[cal].version).toBe(3);
  });
});

describe('preview', () => {
  const preview = (policyId: string, body: unknown, query = '') => api.post(`/v1/policies/${policyId}/preview${query}`, body, reader);

  it('after-sale on cn-marketplace: each deadline with its event; approval stands in at the request; the rest waits', async () => {
    const answer = await preview('cn-marketplace', { kind: 'after_sale', events: { requestedAt: '2026-11-20T10:00:00+08:00' } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ policy: { id: 'cn-marketplace', version: 1 }, kind: 'after_sale', type: 'return_and_refund', timeZone: 'Asia/Shanghai' });
    expect(answer.body.deadlines[0]).toEqual({
      name: 'merchantResponse', startsFrom: 'requestedAt', startsAt: '2026-11-20T10:00:00.000+08:00', dueAt: '2026-11-25T10:00:00.000+08:00',
      warnAt: '2026-11-24T10:00:00.000+08:00', actor: 'merchant', onTimeout: 'auto_approve', duration: { amount: 120, unit: 'hours' },
    });
    expect(answer.body.deadlines[1]).toMatchObject({ name: 'buyerReturnShipment', startsFrom: 'approvedAt', assumedStart: true, dueAt: '2026-11-27T10:00:00.000+08:00', onTimeout: 'auto_close' });
    expect(answer.body.waitingFor.map((d: any) => d.startsFrom)).toContain('shippedAt');
  });

  it('cn-jd-dispute evidence asked at 14:01 is due 09:01 next day; cn-7day-law gives the no-reason window end', async () => {
    const jd = await preview('cn-jd-dispute', { kind: 'after_sale', events: { requestedAt: '2026-11-20T10:00:00+08:00', evidenceRequestedAt: '2026-11-20T14:01:00+08:00' } });
    expect(jd.body.deadlines.find((d: any) => d.name === 'evidence')).toMatchObject({ dueAt: '2026-11-21T09:01:00.000+08:00', startsFrom: 'evidenceRequestedAt' });
    const law = await preview('cn-7day-law', { kind: 'after_sale', type: 'return_and_refund', events: { requestedAt: '2026-11-12T10:00:00+08:00', deliveredAt: '2026-11-10T23:59:00+08:00' } });
    expect(law.body.noReasonWindowEndsAt).toBe('2026-11-18T00:00:00.000+08:00');
    const refundOnly = await preview('cn-7day-law', { kind: 'after_sale', type: 'refund_only', events: { deliveredAt: '2026-11-10T23:59:00+08:00' } });
    expect(refundOnly.body.noReasonWindowEndsAt).toBeUndefined();
  });

  it('complaint at a priority; inquiry from the product defaults; misplaced fields and unknown versions refused', async () => {
    const complaint = await preview('cn-marketplace', { kind: 'complaint', priority: 'P1', events: { requestedAt: '2026-11-20T10:00:00+08:00' } });
    expect(complaint.status, JSON.stringify(complaint.body)).toBe(200);
    expect(complaint.body.deadlines.find((d: any) => d.name === 'firstResponse')).toMatchObject({ dueAt: '2026-11-20T10:30:00.000+08:00', actor: 'agent', onTimeout: 'escalate' });
    expect(complaint.body.waitingFor.map((d: any) => d.name)).toEqual(expect.arrayContaining(['solutionApproval', 'customerDecision', 'reopenWindow']));
    const inquiry = await preview('cn-marketplace', { kind: 'inquiry', events: { requestedAt: '2026-11-20T10:00:00+08:00' } });
    expect(inquiry.status).toBe(200);
    expect(inquiry.body.deadlines).toEqual([expect.objectContaining({ name: 'firstResponse', dueAt: '2026-11-20T10:30:00.000+08:00' })]);
    expect((await preview('cn-marketplace', { kind: 'complaint', type: 'exchange' })).status).toBe(400);
    expect((await preview('cn-marketplace', { kind: 'after_sale', events: { requestedAt: '2026-11-20 10:00' } })).status).toBe(400);
    expect((await preview('cn-marketplace', { kind: 'after_sale' }, '?version=2')).status).toBe(404);
  });
});
