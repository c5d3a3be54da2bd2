/**
 * The EU end-of-period rule (Regulation 1182/71 art. 3(4)-(5), applied to the Consumer Rights Directive's
 * periods by its recital 41) on calendar_days, as worked examples counted by hand on a 2026 calendar:
 * the period starts the day after the event (art. 3(1)), ends after its last day (art. 3(2)(b)); a last day
 * on a Saturday, Sunday or public holiday moves to the next working day (art. 3(4)); two days or more hold
 * at least two working days (art. 3(5)).
 */
import { describe, expect, it } from 'vitest';
import { addBusinessDuration, validateDurationSpec, type Calendar } from '../../../workflows/domain/clock';

const BERLIN: Calendar = { id: 'eu-cet-24x7', timeZone: 'Europe/Berlin', workingHours: '24x7', holidays: [], makeUpWorkdays: [] };
/** German nationwide public holidays used below: Good Friday and Easter Monday 2026, Christmas 2026. */
const BERLIN_WITH_HOLIDAYS: Calendar = { ...BERLIN, id: 'de-public-holidays', holidays: ['2026-04-03', '2026-04-06', '2026-12-25', '2026-12-26'] };

const end = (event: string, days: number, calendar: Calendar, rule?: 'eu-1182-71') =>
  new Date(addBusinessDuration(Date.parse(event), { amount: days, unit: 'calendar_days', ...(rule ? { endOfPeriodRule: rule } : {}) }, calendar)).toISOString();
const utc = (iso: string) => new Date(iso).toISOString();

describe('eu-1182-71 on periods of days', () => {
  it.each([
    // [label, event, days, calendar, end with the rule, end without it]
    ['delivered Sat 03-07: last day Sat 03-21 → Mon 03-23', '2026-03-07T15:00:00+01:00', 14, BERLIN, '2026-03-24T00:00:00+01:00', '2026-03-22T00:00:00+01:00'],
    ['delivered Sun 03-08: last day Sun 03-22 → Mon 03-23', '2026-03-08T09:00:00+01:00', 14, BERLIN, '2026-03-24T00:00:00+01:00', '2026-03-23T00:00:00+01:00'],
    ['delivered Tue 03-03: last day Tue 03-17, a working day', '2026-03-03T12:00:00+01:00', 14, BERLIN, '2026-03-18T00:00:00+01:00', '2026-03-18T00:00:00+01:00'],
    ['delivered Fri 03-20, no holiday data: last day Good Friday 04-03 counts as working', '2026-03-20T15:00:00+01:00', 14, BERLIN, '2026-04-04T00:00:00+02:00', '2026-04-04T00:00:00+02:00'],
    ['delivered Fri 03-20 with German holidays: Good Friday, weekend, Easter Monday → Tue 04-07 (after DST)', '2026-03-20T15:00:00+01:00', 14, BERLIN_WITH_HOLIDAYS, '2026-04-08T00:00:00+02:00', '2026-04-04T00:00:00+02:00'],
    ['event Fri 12-11 with German holidays: last day Christmas Fri 12-25 → Mon 12-28', '2026-12-11T10:00:00+01:00', 14, BERLIN_WITH_HOLIDAYS, '2026-12-29T00:00:00+01:00', '2026-12-26T00:00:00+01:00'],
    ['art. 3(5): event Fri 03-06, 2 days Sat-Sun → Mon holds one working day, so Tue 03-10', '2026-03-06T10:00:00+01:00', 2, BERLIN, '2026-03-11T00:00:00+01:00', '2026-03-09T00:00:00+01:00'],
    ['art. 3(5): event Thu 03-05, 2 days Fri-Sat → Mon 03-09 (Fri and Mon: two working days)', '2026-03-05T10:00:00+01:00', 2, BERLIN, '2026-03-10T00:00:00+01:00', '2026-03-08T00:00:00+01:00'],
    ['one day ending Saturday moves to Monday; art. 3(5) needs two days or more', '2026-03-06T10:00:00+01:00', 1, BERLIN, '2026-03-10T00:00:00+01:00', '2026-03-08T00:00:00+01:00'],
  ] as const)('%s', (_label, event, days, calendar, withRule, without) => {
    expect(end(event, days, calendar, 'eu-1182-71')).toBe(utc(withRule));
    expect(end(event, days, calendar)).toBe(utc(without));
  });

  it('a zero-day period is due at the event, as without the rule', () => {
    expect(end('2026-03-07T15:00:00+01:00', 0, BERLIN, 'eu-1182-71')).toBe(utc('2026-03-07T15:00:00+01:00'));
  });

  it('is a calendar_days option only, and only a known rule', () => {
    expect(validateDurationSpec({ amount: 14, unit: 'calendar_days', endOfPeriodRule: 'eu-1182-71' })).toEqual([]);
    expect(validateDurationSpec({ amount: 14, unit: 'hours', endOfPeriodRule: 'eu-1182-71' })).toEqual(['endOfPeriodRule applies to calendar_days only (periods of days, not hours)']);
    expect(validateDurationSpec({ amount: 14, unit: 'calendar_days', endOfPeriodRule: 'uk' })).toEqual(['endOfPeriodRule must be one of eu-1182-71']);
  });
});
