/**
 * Statutory years published after the fact, on a real server: an admin publishes a year of the built-in
 * cn-workdays (a published year is never rewritten: 409), previews count with it and warn without it, and a
 * running case whose working-day deadline runs into an unpublished year shows the warning, then moves its
 * deadline when that year is published with a holiday on the day it would have fallen.
 *
 * FICTIONAL_2027 is made-up test data, NOT the State Council's 2027 arrangement: holidays Fri 2027-01-01 and
 * Mon 01-04, make-up workday Sat 01-09 (2026-12-31 is a Thursday, so 2027-01-01 is a Friday).
 */
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentKeyring } from '../../../worker/encryption';
import { createCasesPlugin } from '../../../worker/plugin';
import { createSandboxAdapters } from '../../../worker/sandbox';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { temporalNamespace } from '../../support/temporal';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  // Cases ask again about an unpublished year every second here (hours in production), without a cache.
  system = await startCaseSystem({ name: 'calendar-years', adapters: { calendarYears: { recheckAfterMs: 1_000, cacheMs: 0 } } });
  api = apiClient(system.baseUrl);
});
afterAll(async () => {
  // The built-in's registry lives on this file's task queue: remove it so later files see the code's years.
  await system?.client.workflowService.deleteWorkflowExecution({
    namespace: temporalNamespace(), workflowExecution: { workflowId: 'calendar-registry:cn-workdays' },
  }).catch(() => undefined);
  await system?.close();
});

const admin = { key: 'dev-admin' };
const reader = { key: 'dev-merchant-a', idempotencyKey: null };
const FICTIONAL_2027 = { holidays: ['2027-01-04', '2027-01-01'], makeUpWorkdays: ['2027-01-09'] };
const weekdays = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]]));

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('publishing a year of a built-in calendar', () => {
  const policyId = `pol-${randomUUID().slice(0, 8)}`;
  // Mon 2026-12-28 10:00 + 5 working days on cn-workdays.
  const events = { requestedAt: '2026-12-28T10:00:00+08:00' };
  const merchantResponse = async () => (await api.post(`/v1/policies/${policyId}/preview`, { kind: 'after_sale', events }, reader))
    .body.deadlines.find((d: any) => d.name === 'merchantResponse');

  it('2027 unknown: the preview counts Fri 01-01 and Mon 01-04 as working days and says so', async () => {
    expect((await api.get('/v1/calendars/cn-workdays', reader)).body).toMatchObject({ builtIn: true, version: 1, publishedAt: null, years: [2026] });
    const put = await api.put(`/v1/policies/${policyId}`, {
      name: 'Working-day answers', extends: 'cn-marketplace', afterSale: { deadlines: { merchantResponse: { amount: 5, unit: 'working_days', calendar: 'cn-workdays' } } },
    }, admin);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    // Tue 29, Wed 30, Thu 31, Fri 01-01, Mon 01-04.
    expect(await merchantResponse()).toMatchObject({
      dueAt: '2027-01-04T18:00:00.000+08:00', warnings: [{ code: 'calendar-year-not-published', calendarId: 'cn-workdays', year: 2027 }],
    });
  });

  it('refuses what is not an admin publishing a new year: other roles, no key, dates of another year, 24x7, a rewrite of 2026', async () => {
    expect((await api.put('/v1/calendars/cn-workdays/years/2027', FICTIONAL_2027, { key: 'dev-supervisor' })).status).toBe(403);
    expect((await api.put('/v1/calendars/cn-workdays/years/2027', FICTIONAL_2027, { key: 'dev-admin', idempotencyKey: null })).status).toBe(400);
    const misfiled = await api.put('/v1/calendars/cn-workdays/years/2027', { holidays: ['2026-12-31'] }, admin);
    expect(misfiled.status).toBe(400);
    expect(misfiled.headers.get('content-type')).toContain('application/problem+json');
    expect(misfiled.body.problems).toEqual(['holidays lists 2026-12-31, a date of another year']);
    expect((await api.put('/v1/calendars/24x7/years/2027', FICTIONAL_2027, admin)).status).toBe(409);
    // The whole built-in stays read-only; only years are published.
    expect((await api.put('/v1/calendars/cn-workdays', { timeZone: 'Asia/Shanghai', workingHours: '24x7' }, admin)).status).toBe(409);
    // 2026 without National Day: a rewrite of a published year is refused, with what is published.
    const rewrite = await api.put('/v1/calendars/cn-workdays/years/2026', { holidays: ['2026-01-01'], makeUpWorkdays: [] }, admin);
    expect(rewrite.status).toBe(409);
    expect(rewrite.headers.get('content-type')).toContain('application/problem+json');
    expect(rewrite.body).toMatchObject({ status: 409, year: 2026, published: { year: 2026, makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'] } });
    expect(rewrite.body.published.holidays).toHaveLength(33);
  });

  it('publishes 2027 as version 2 (idempotently), keeps 2026, and the preview counts with it', async () => {
    const key = randomUUID();
    const first = await api.put('/v1/calendars/cn-workdays/years/2027', FICTIONAL_2027, { key: 'dev-admin', idempotencyKey: key });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.headers.get('location')).toBe('/v1/calendars/cn-workdays/versions/2');
    expect(first.body).toMatchObject({ builtIn: true, version: 2, years: [2026, 2027] });
    expect(first.body.holidays['2027']).toEqual(['2027-01-01', '2027-01-04']);
    expect(first.body.makeUpWorkdays['2027']).toEqual(['2027-01-09']);
    expect(first.body.holidays['2026']).toHaveLength(33);
    // Same key, same body: the original answer. Same key, other body: 422.
    expect((await api.put('/v1/calendars/cn-workdays/years/2027', FICTIONAL_2027, { key: 'dev-admin', idempotencyKey: key })).status).toBe(201);
    expect((await api.put('/v1/calendars/cn-workdays/years/2027', { holidays: ['2027-01-01'] }, { key: 'dev-admin', idempotencyKey: key })).status).toBe(422);
    // A new key with the same dates publishes nothing; other dates for 2027 are a rewrite now.
    const again = await api.put('/v1/calendars/cn-workdays/years/2027', FICTIONAL_2027, admin);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
    expect((await api.put('/v1/calendars/cn-workdays/years/2027', { holidays: ['2027-01-01'] }, admin)).status).toBe(409);

    const versions = await api.get('/v1/calendars/cn-workdays/versions', reader);
    expect(versions.body.versions.map((v: any) => [v.version, v.publishedBy, v.publishedAt === null])).toEqual([[1, 'built-in', true], [2, 'dev-admin', false]]);
    expect((await api.get('/v1/calendars/cn-workdays/versions/1', reader)).body.years).toEqual([2026]);
    const listed = (await api.get('/v1/calendars', reader)).body.calendars.find((c: any) => c.id === 'cn-workdays');
    expect(listed).toMatchObject({ version: 2, years: [2026, 2027] });

    // Tue 29, Wed 30, Thu 31, (Fri 01-01 off, weekend, Mon 01-04 off), Tue 01-05, Wed 01-06; no warning.
    const moved = await merchantResponse();
    expect(moved.dueAt).toBe('2027-01-06T18:00:00.000+08:00');
    expect(moved.warnings).toBeUndefined();
  });
});

/** YYYY-MM-DD of a UTC date; weekday of such a date (0 = Sunday), by plain date arithmetic. */
const dateOf = (d: Date) => d.toISOString().slice(0, 10);
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const nextDate = (date: string) => dateOf(new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000));
const isWeekday = (date: string) => weekdayOf(date) >= 1 && weekdayOf(date) <= 5;

describe('a running case and a year published after it started', () => {
  it('warns while its deadline counts into the unpublished year, and moves it once that year is published', async () => {
    // Today in Shanghai; the calendar publishes this year only (no holidays), next year is unknown.
    const today = dateOf(new Date(Date.now() + 8 * 3_600_000));
    const thisYear = Number(today.slice(0, 4));
    const nextYear = thisYear + 1;
    // The deadline should fall on the second weekday of next January: count the weekdays up to it.
    let target = `${nextYear}-01-01`;
    for (let seen = isWeekday(target) ? 1 : 0; seen < 2;) if (isWeekday((target = nextDate(target)))) seen++;
    let amount = 0;
    for (let date = nextDate(today); date <= target; date = nextDate(date)) if (isWeekday(date)) amount++;
    let movedTo = nextDate(target);
    while (!isWeekday(movedTo)) movedTo = nextDate(movedTo);

    const calendarId = `cal-${randomUUID().slice(0, 8)}`;
    const policyId = `pol-${randomUUID().slice(0, 8)}`;
    const calendar = { name: 'Shop hours', timeZone: 'Asia/Shanghai', workingHours: weekdays, holidays: { [thisYear]: [] } };
    expect((await api.put(`/v1/calendars/${calendarId}`, calendar, admin)).body.years).toEqual([thisYear]);
    const policy = await api.put(`/v1/policies/${policyId}`, {
      name: 'Long answers', extends: 'cn-marketplace', afterSale: { deadlines: { merchantResponse: { amount, unit: 'working_days', calendar: calendarId } } },
    }, admin);
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);

    const created = await api.post('/v1/after-sales', {
      merchantId: 'm-a', orderId: `order-${randomUUID().slice(0, 8)}`, customerRef: 'cust-1', type: 'refund_only', reason: 'not_as_described', policyId,
      items: [{ sku: 'sku-1', quantity: 1, unitPrice: { amount: 1000, currency: 'CNY' } }],
      order: { paidTotal: { amount: 1000, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' } },
    }, { key: 'dev-channel' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const caseId = created.body.id;
    const deadline = async () => (await api.get(`/v1/after-sales/${caseId}`, reader)).body.deadlines.find((d: any) => d.name === 'merchantResponse');

    const blind = await deadline();
    expect(blind).toMatchObject({ state: 'active', dueAt: `${target}T18:00:00.000+08:00`, warnings: [{ code: 'calendar-year-not-published', calendarId, year: nextYear }] });

    // The case has asked about next year once and heard it is not published (its first view came with the 201,
    // before the workflow ran: wait for that question so the publish below is learned by asking again).
    await poll(async () => (await system.client.workflow.getHandle(caseId).fetchHistory()).events ?? [],
      (events) => {
        const asked = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'publishedCalendarYears').map((e) => String(e.eventId));
        return events.some((e) => asked.includes(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)));
      });

    // Next year is published with a holiday on exactly that day.
    const published = await api.put(`/v1/calendars/${calendarId}/years/${nextYear}`, { holidays: [target] }, admin);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(published.body).toMatchObject({ version: 2, years: [thisYear, nextYear] });

    const moved = await poll(deadline, (d) => d.dueAt !== blind.dueAt);
    expect(moved.dueAt).toBe(`${movedTo}T18:00:00.000+08:00`);
    expect(moved.warnings).toBeUndefined();
    const view = (await api.get(`/v1/after-sales/${caseId}`, reader)).body;
    expect(view.timeline).toContainEqual(expect.objectContaining({
      type: 'deadline.rescheduled', actor: 'system',
      data: expect.objectContaining({ name: 'merchantResponse', previousDueAt: `${target}T18:00:00.000+08:00`, dueAt: `${movedTo}T18:00:00.000+08:00`, calendarId, year: nextYear }),
    }));

    // The path it took (the patch marker, the questions answered by the registry, the re-timing) replays as recorded.
    const history = await system.client.workflow.getHandle(caseId).fetchHistory();
    const events = history.events ?? [];
    expect(events.some((e) => e.markerRecordedEventAttributes)).toBe(true);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'publishedCalendarYears').length).toBeGreaterThanOrEqual(2);
    await Worker.runReplayHistory({
      plugins: [createCasesPlugin({ ...createSandboxAdapters(), encryptionKeys: developmentKeyring() })], replayName: 'calendar-years',
    }, history, caseId);
  });
});
