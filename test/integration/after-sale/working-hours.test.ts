/**
 * A deadline counted in working hours fires at the instant the business clock computes. The suite cannot
 * wait for office hours, so it publishes a calendar whose only non-working time is a one-minute gap
 * around now (every day, Asia/Shanghai, no DST): an evidence deadline of 0.001 working hours (3.6 s)
 * requested inside the gap starts counting when the gap ends. Expectation computed here, independently.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { act, afterSaleBody, createAfterSale, deadline, waitForCase } from './fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'working-hours' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minuteOfDay: number) => (minuteOfDay >= 1440 ? '24:00' : `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`);

describe('working-hours deadline', () => {
  it('fires when the working time after the gap is used up, not before', async () => {
    // The gap: this minute if there is time left in it, else the next one; never across midnight.
    let local = Date.now() + SHANGHAI_OFFSET_MS;
    if ((local % 86_400_000) >= 86_400_000 - 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 86_400_000 - (local % 86_400_000) + 2_000));
      local = Date.now() + SHANGHAI_OFFSET_MS;
    }
    const secondsIntoMinute = Math.floor(local / 1000) % 60;
    const gapStart = Math.floor(local / 60_000) % 1440 + (secondsIntoMinute > 35 ? 1 : 0);
    const gapStartUtc = Math.floor(local / 60_000) * 60_000 + (secondsIntoMinute > 35 ? 60_000 : 0) - SHANGHAI_OFFSET_MS;
    const gapEndUtc = gapStartUtc + 60_000;
    const intervals = [
      ...(gapStart > 0 ? [{ start: '00:00', end: hhmm(gapStart) }] : []),
      { start: hhmm(gapStart + 1), end: '24:00' },
    ];
    const calendarId = `gap-${randomUUID().slice(0, 8)}`;
    const workingHours = Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, intervals]));
    expect((await api.put(`/v1/calendars/${calendarId}`, { timeZone: 'Asia/Shanghai', workingHours }, { key: 'dev-admin' })).status).toBe(201);
    const policyId = `wh-${randomUUID().slice(0, 8)}`;
    const policy = await api.put(`/v1/policies/${policyId}`, {
      name: 'Working-hours evidence', extends: 'cn-marketplace',
      afterSale: { deadlines: { evidence: { amount: 0.001, unit: 'working_hours', calendar: calendarId } } },
    }, { key: 'dev-admin' });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);

    const created = await createAfterSale(api, afterSaleBody({ policyId }));
    await act(api, created.id, 'reject', 'dev-merchant-a', { reason: 'used', actorRef: 'staff-1' });
    await act(api, created.id, 'escalate', 'dev-channel', {});
    if (Date.now() < gapStartUtc + 1_000) await new Promise((resolve) => setTimeout(resolve, gapStartUtc + 1_000 - Date.now()));
    const asked = await act(api, created.id, 'request-evidence', 'dev-arbiter', { from: 'buyer', actorRef: 'arb-1' });
    const requestedAt = Date.parse(asked.timeline.at(-1).at);
    expect(requestedAt).toBeGreaterThanOrEqual(gapStartUtc);
    expect(requestedAt).toBeLessThan(gapEndUtc);

    const expectedDue = gapEndUtc + 3_600;
    expect(Date.parse(deadline(asked, 'evidence').dueAt)).toBe(expectedDue);

    // Still running a moment before; breached by itself after (timers may fire up to ~1 s late here).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expectedDue - 1_000 - Date.now())));
    expect(deadline((await api.get(`/v1/after-sales/${created.id}`, { key: 'dev-arbiter' })).body, 'evidence').state).toBe('active');
    const breached = await waitForCase(api, created.id, (v) => deadline(v, 'evidence').state === 'breached', 80_000);
    const breachAt = Date.parse(breached.timeline.find((e: any) => e.type === 'deadline.breached' && e.data?.name === 'evidence').at);
    expect(breachAt).toBeGreaterThanOrEqual(expectedDue);
    expect(breachAt - expectedDue).toBeLessThan(2_500);
  });
});
