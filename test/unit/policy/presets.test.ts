/**
 * Every preset is complete and sourced: all after-sale deadlines present with valid durations on a
 * resolvable calendar, each number traced to a law, a marketplace rule or a product default.
 */
import { describe, expect, it } from 'vitest';
import { validateDurationSpec } from '../../../workflows/domain/clock';
import { AFTER_SALE_DEADLINES } from '../../../workflows/domain/policy/types';
import { POLICY_PRESETS, DEFAULT_POLICY_ID, isPresetId } from '../../../workflows/domain/policy/presets';
import { calendarFor, scheduleFrom, timeZoneOf } from '../../../workflows/domain/schedule';
import { policyProblems } from '../../../workflows/domain/policy/validate';

const presets = Object.values(POLICY_PRESETS);

describe('policy presets', () => {
  it('are the five named in the product', () => {
    expect(Object.keys(POLICY_PRESETS).sort()).toEqual(['amazon-30day', 'cn-7day-law', 'cn-jd-dispute', 'cn-marketplace', 'eu-14day']);
    expect(DEFAULT_POLICY_ID).toBe('cn-marketplace');
    expect(isPresetId('cn-marketplace')).toBe(true);
    expect(isPresetId('toString')).toBe(false);
  });

  it.each(presets.map((p) => [p.id, p] as const))('%s: every deadline valid, on a known calendar, with a source', (_id, preset) => {
    expect(Object.keys(preset.afterSale.deadlines).sort()).toEqual([...AFTER_SALE_DEADLINES].sort());
    for (const name of AFTER_SALE_DEADLINES) {
      const spec = preset.afterSale.deadlines[name];
      expect(validateDurationSpec(spec), `${preset.id}.${name}`).toEqual([]);
      expect(() => calendarFor(preset, spec)).not.toThrow();
      expect(preset.sources?.[`afterSale.deadlines.${name}`], `${preset.id}.${name} has no source`).toBeTruthy();
    }
    expect(validateDurationSpec(preset.afterSale.noReasonReturn.window)).toEqual([]);
    expect(preset.sources?.['afterSale.noReasonReturn.window']).toBeTruthy();
    expect(Number.isInteger(preset.afterSale.authorityLimit.amount)).toBe(true);
    // Suspension limits are policy values with sources, like the deadlines.
    for (const reason of ['legal_proof', 'police'] as const) {
      const limit = preset.afterSale.suspensionLimits?.[reason];
      expect(validateDurationSpec(limit), `${preset.id} suspensionLimits.${reason}`).toEqual([]);
      expect(preset.sources?.[`afterSale.suspensionLimits.${reason}`], `${preset.id} suspensionLimits.${reason} has no source`).toBeTruthy();
    }
    expect(policyProblems(preset)).toEqual([]);
  });

  it.each([
    ['cn-marketplace', 'merchantResponse', '2026-11-20T10:00:00+08:00', '2026-11-25T10:00:00+08:00'],
    ['cn-marketplace', 'merchantReceipt', '2026-11-20T10:00:00+08:00', '2026-11-30T10:00:00+08:00'],
    ['cn-7day-law', 'refundPayment', '2026-11-20T10:00:00+08:00', '2026-11-28T00:00:00+08:00'],
    ['cn-jd-dispute', 'evidence', '2026-11-21T10:00:00+08:00', '2026-11-21T14:00:00+08:00'],
    ['cn-jd-dispute', 'evidence', '2026-11-21T14:01:00+08:00', '2026-11-22T09:01:00+08:00'],
    ['cn-jd-dispute', 'appealWindow', '2026-11-20T23:30:00+08:00', '2026-11-28T00:00:00+08:00'],
    ['eu-14day', 'refundPayment', '2026-10-20T12:00:00+02:00', '2026-11-04T00:00:00+01:00'],
    // Directive 2011/83/EU art. 13 with Regulation 1182/71 art. 3(4): withdrawal Fri 2026-03-06, 14 days end
    // Fri 03-20 (a working day); withdrawal Sun 03-08, 14 days end Sun 03-22 → Mon 03-23.
    ['eu-14day', 'refundPayment', '2026-03-06T12:00:00+01:00', '2026-03-21T00:00:00+01:00'],
    ['eu-14day', 'refundPayment', '2026-03-08T12:00:00+01:00', '2026-03-24T00:00:00+01:00'],
    ['eu-14day', 'buyerReturnShipment', '2026-03-07T12:00:00+01:00', '2026-03-24T00:00:00+01:00'],
    ['amazon-30day', 'merchantResponse', '2026-11-20T10:00:00+08:00', '2026-11-20T10:00:00+08:00'],
    // Amazon A-to-z: claims within 90 days (from the seller's answer here): 2026-03-02 → 03-03 … 05-31.
    ['amazon-30day', 'escalationWindow', '2026-03-02T15:00:00+08:00', '2026-06-01T00:00:00+08:00'],
    // Taobao art. 82-83 / JD: 7 working days of proof on China's statutory calendar; 6 months (183 days) for a police case.
    ['cn-marketplace', 'suspensionLimits.legal_proof', '2026-03-02T11:00:00+08:00', '2026-03-11T18:00:00+08:00'],
    ['cn-marketplace', 'suspensionLimits.police', '2026-03-02T11:00:00+08:00', '2026-09-02T00:00:00+08:00'],
  ])('%s %s from %s is due %s', (id, name, start, due) => {
    const preset = POLICY_PRESETS[id];
    const spec = name.startsWith('suspensionLimits.')
      ? preset.afterSale.suspensionLimits![name.slice('suspensionLimits.'.length) as 'legal_proof' | 'police']
      : preset.afterSale.deadlines[name as keyof typeof preset.afterSale.deadlines];
    expect(scheduleFrom(preset, spec, Date.parse(start)).dueAt).toBe(Date.parse(due));
  });

  it.each([
    // [preset, delivered, window ends] — worked by hand from each source.
    // CN CPL art. 25 / SAMR 2017-90 art. 10: 7 natural days from the day after sign-off, weekends included.
    ['cn-marketplace', '2026-03-07T15:00:00+08:00', '2026-03-15T00:00:00+08:00'],
    // Directive 2011/83/EU art. 9 + Regulation 1182/71 art. 3(4): delivered Sat 03-07, last day Sat 03-21 → Mon 03-23.
    ['eu-14day', '2026-03-07T15:00:00+01:00', '2026-03-24T00:00:00+01:00'],
    // A weekday end stays: delivered Tue 03-03, last day Tue 03-17.
    ['eu-14day', '2026-03-03T15:00:00+01:00', '2026-03-18T00:00:00+01:00'],
  ])('%s: no-reason / withdrawal window of a parcel delivered %s ends %s', (id, delivered, ends) => {
    const preset = POLICY_PRESETS[id];
    const window = preset.afterSale.noReasonReturn.window;
    expect(scheduleFrom(preset, window, Date.parse(delivered)).dueAt).toBe(Date.parse(ends));
  });

  it('renders views in the zone of the default calendar', () => {
    expect(timeZoneOf(POLICY_PRESETS['cn-marketplace'])).toBe('Asia/Shanghai');
    expect(timeZoneOf(POLICY_PRESETS['eu-14day'])).toBe('Europe/Berlin');
  });
});
