/**
 * Every place a policy names a calendar is found, and validation names each unknown one with its path:
 * a calendar the workflow could not find would stop the case at its first deadline.
 */
import { describe, expect, it } from 'vitest';
import { calendarIdsNamedBy, calendarReferences } from '../../../workflows/domain/policy/calendar-refs';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import type { Policy } from '../../../workflows/domain/policy/types';
import { policyProblems } from '../../../workflows/domain/policy/validate';
import { COMPLAINT_DEFAULTS } from '../../../workflows/domain/policy/sections/complaint';

const shop = { id: 'shop-hours', timeZone: 'Asia/Shanghai', workingHours: '24x7' as const, holidays: [], makeUpWorkdays: [], version: 3 };

const naming = (calendarId: string): Record<string, Policy> => ({
  defaultCalendar: { ...CN_MARKETPLACE, defaultCalendar: calendarId },
  'afterSale deadline': { ...CN_MARKETPLACE, afterSale: { ...CN_MARKETPLACE.afterSale, deadlines: { ...CN_MARKETPLACE.afterSale.deadlines, repair: { amount: 3, unit: 'working_days', calendar: calendarId } } } },
  'no-reason window': { ...CN_MARKETPLACE, afterSale: { ...CN_MARKETPLACE.afterSale, noReasonReturn: { window: { amount: 7, unit: 'working_days', calendar: calendarId } } } },
  'complaint target': { ...CN_MARKETPLACE, complaint: { ...COMPLAINT_DEFAULTS, targets: { P1: { firstResponse: { amount: 1, unit: 'working_hours', calendar: calendarId } } } } },
  'inquiry deadline': { ...CN_MARKETPLACE, inquiry: { deadlines: { followUp: { amount: 1, unit: 'working_days', calendar: calendarId } } } },
});

const PATHS: Record<string, string> = {
  defaultCalendar: 'defaultCalendar',
  'afterSale deadline': 'afterSale.deadlines.repair.calendar',
  'no-reason window': 'afterSale.noReasonReturn.window.calendar',
  'complaint target': 'complaint.targets.P1.firstResponse.calendar',
  'inquiry deadline': 'inquiry.deadlines.followUp.calendar',
};

describe('calendarReferences', () => {
  it.each(Object.keys(PATHS))('finds a calendar named in the %s', (where) => {
    expect(calendarReferences(naming('shop-hours')[where])).toContainEqual({ path: PATHS[where], calendarId: 'shop-hours' });
  });

  it('distinct ids in first-named order', () => {
    const policy = { ...naming('shop-hours')['afterSale deadline'], defaultCalendar: 'cn-workdays', inquiry: { deadlines: { followUp: { amount: 1, unit: 'working_days' as const, calendar: 'cn-workdays' } } } };
    expect(calendarIdsNamedBy(policy)).toEqual(['cn-workdays', 'shop-hours']);
  });
});

describe('policyProblems and calendars', () => {
  it.each(Object.keys(PATHS))('an unknown calendar in the %s is named with its path', (where) => {
    expect(policyProblems(naming('nowhere-cal')[where]).join('; ')).toContain(`${PATHS[where]}: unknown calendar nowhere-cal`);
  });

  it.each(Object.keys(PATHS))('a calendar the policy carries by value is known in the %s', (where) => {
    const policy = { ...naming('shop-hours')[where], calendars: { 'shop-hours': shop } };
    expect(policyProblems(policy)).toEqual([]);
  });
});
