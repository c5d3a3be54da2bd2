/**
 * The inquiry policy section (settings over product defaults, problems, the preview of a policy without a
 * section) and the journey links an inquiry keeps (from relatedCaseId at open, from caseLinked once).
 */
import { describe, expect, it } from 'vitest';
import { addCaseLink } from '../../../workflows/domain/case-links';
import { openInquiry } from '../../../workflows/domain/inquiry/machine';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { previewSection } from '../../../workflows/domain/policy/preview-sections';
import { INQUIRY_DEFAULTS, inquirySettings, inquirySettingsProblems } from '../../../workflows/domain/policy/sections/inquiry';
import type { Policy } from '../../../workflows/domain/policy/types';
import { policyProblems } from '../../../workflows/domain/policy/validate';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const withoutInquiry = (): Policy => {
  const { inquiry: _ignored, ...rest } = CN_MARKETPLACE as Policy;
  return rest as Policy;
};

describe('inquiry settings', () => {
  it('a policy without the section runs on the product defaults', () => {
    expect(inquirySettings(undefined)).toEqual(INQUIRY_DEFAULTS);
    expect(INQUIRY_DEFAULTS).toMatchObject({ followUps: 2, survey: false, warning: { percentElapsed: 80 } });
  });

  it('the policy\'s own values win, one by one', () => {
    const own = inquirySettings({ deadlines: { followUp: { amount: 2, unit: 'hours' } } as never, followUps: 0, survey: true });
    expect(own).toEqual({
      deadlines: { firstResponse: INQUIRY_DEFAULTS.deadlines.firstResponse, followUp: { amount: 2, unit: 'hours' } },
      followUps: 0, survey: true, warning: INQUIRY_DEFAULTS.warning,
    });
  });

  it.each([
    [{ followUps: 2 }, []],
    [{ followUps: 0 }, []],
    [{ followUps: 11 }, ['inquiry.followUps must be an integer from 0 to 10']],
    [{ followUps: 1.5 }, ['inquiry.followUps must be an integer from 0 to 10']],
    [{ followUps: -1 }, ['inquiry.followUps must be an integer from 0 to 10']],
    [{ survey: 'yes' }, ['inquiry.survey must be true or false']],
    [{ warning: { percentElapsed: 50 } }, []],
    [{ warning: { beforeSeconds: 60 } }, []],
    [{ warning: { percentElapsed: 100 } }, ['inquiry.warning needs percentElapsed (0-100 exclusive) or positive beforeSeconds']],
    [{ warning: { beforeSeconds: 0 } }, ['inquiry.warning needs percentElapsed (0-100 exclusive) or positive beforeSeconds']],
    [{ warning: 'soon' }, ['inquiry.warning needs percentElapsed (0-100 exclusive) or positive beforeSeconds']],
  ])('%j → %j', (section, problems) => {
    expect(inquirySettingsProblems(section)).toEqual(problems);
  });

  it('policy validation reports the section\'s problems', () => {
    const policy = { ...CN_MARKETPLACE, inquiry: { deadlines: {}, followUps: 99 } } as Policy;
    expect(policyProblems(policy)).toContain('inquiry.followUps must be an integer from 0 to 10');
  });

  it('the preview of a policy without the section shows the defaults the workflow would run', () => {
    const preview = previewSection(withoutInquiry(), 'inquiry', { requestedAt: T0 }, T0);
    expect(preview.deadlines.map((d) => [d.name, d.startsAt])).toEqual([['firstResponse', T0]]);
    expect(preview.deadlines[0].dueAt).toBe(T0 + 30 * 60_000);
    expect(preview.waitingFor.map((d) => d.name)).toEqual(['followUp']);
  });
});

describe('links', () => {
  const request = (relatedCaseId?: string) => ({
    caseId: `iq_${'b'.repeat(32)}`, merchantId: 'm-a', customerRef: 'c', channel: 'chat' as const, topic: 't', receivedAt: T0,
    policy: CN_MARKETPLACE as Policy, createdBy: { keyId: 'k', role: 'channel' as const, merchants: '*' as const }, requestFingerprint: 'f',
    ...(relatedCaseId ? { relatedCaseId } : {}),
  });

  it('an inquiry opened against another case carries that link from the start', () => {
    expect(openInquiry(request(`cp_${'c'.repeat(32)}`), T0).links).toEqual([{ id: `cp_${'c'.repeat(32)}`, kind: 'complaint', relation: 'related' }]);
    expect(openInquiry(request(), T0).links).toEqual([]);
  });

  it('caseLinked adds a link once, with one case.linked entry', () => {
    const s = openInquiry(request(), T0);
    const link = { id: `as_${'d'.repeat(32)}`, kind: 'after_sale' as const, relation: 'related' };
    const once = addCaseLink(s, link, T0 + 1);
    const twice = addCaseLink(once, link, T0 + 2);
    expect(twice).toBe(once);
    expect(once.links).toEqual([link]);
    expect(once.timeline.filter((e) => e.type === 'case.linked')).toHaveLength(1);
    expect(once.revision).toBe(s.revision + 1);
  });
});
