// The satisfaction survey's rules: send after the delay, reminders before expiry only, first answer wins,
// duplicates and late answers change nothing, low scores owe recovery. Also the workflow-safe SHA-256.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../workflows/domain/complaint/digest';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import type { Policy } from '../../../workflows/domain/policy/types';
import {
  SEEN_REQUEST_IDS_KEPT, advanceSurvey, answerSurvey, nextSurveyWakeAt, openSurvey, surveyIdOf, surveyStatusView,
} from '../../../workflows/domain/survey/machine';
import type { SurveyState } from '../../../workflows/domain/survey/types';

const T0 = Date.parse('2026-03-02T10:00:00+08:00');
const H = 3_600_000;
const policy = (survey: Partial<NonNullable<Policy['survey']>>): Policy => ({
  ...CN_MARKETPLACE,
  survey: { deadlines: { delay: { amount: 1, unit: 'hours' }, reminder: { amount: 2, unit: 'hours' }, expiry: { amount: 5, unit: 'hours' } }, ...survey },
});
const open = (p: Policy = policy({})) => openSurvey({ caseId: 'cp_x', kind: 'complaint', merchantId: 'm-a', customerRef: 'c', policy: p, closedAt: T0 });
const outbox = (s: SurveyState) => s.outbox.map((o) => o.type);
const step = (s: SurveyState, until: number) => {
  for (let t = T0; t <= until; t += H / 4) s = advanceSurvey(s, t);
  return s;
};

describe('timing', () => {
  it('is one per case, sent after the delay', () => {
    const s = open();
    expect(s.surveyId).toBe(surveyIdOf('cp_x'));
    expect(nextSurveyWakeAt(s)).toBe(T0 + H);
    expect(outbox(step(s, T0 + H - 1))).toEqual([]);
    expect(outbox(step(s, T0 + H))).toEqual(['survey.sent']);
  });

  it.each([
    [0, ['survey.sent'], 'expired'],
    [1, ['survey.sent', 'survey.reminder'], 'expired'],
    // Reminders 2 h apart, expiry 5 h after sending: the third would come after expiry.
    [3, ['survey.sent', 'survey.reminder', 'survey.reminder'], 'expired'],
  ] as const)('%i reminders configured → outbox %j', (reminders, expected, status) => {
    const s = step(open(policy({ reminders })), T0 + 7 * H);
    expect(outbox(s)).toEqual(expected);
    expect(s.status).toBe(status);
    expect(s.timeline.at(-1)).toMatchObject({ type: 'survey.recorded', data: { result: 'no_response' } });
  });

  it('the default is one reminder', () => expect(outbox(step(open(policy({ reminders: undefined })), T0 + 7 * H))).toEqual(['survey.sent', 'survey.reminder']));
});

describe('answers', () => {
  const sent = () => step(open(), T0 + H);
  it('the first answer counts; the same request again is a duplicate', () => {
    const first = answerSurvey(sent(), { score: 4, requestId: 'r1' }, T0 + 2 * H);
    expect(first.result).toBe('accepted');
    expect(first.state).toMatchObject({ status: 'answered', answer: { score: 4 }, recovery: 'none' });
    const again = answerSurvey(first.state, { score: 4, requestId: 'r1' }, T0 + 2 * H);
    expect(again).toEqual({ state: first.state, result: 'duplicate' });
    expect(answerSurvey(first.state, { score: 1, requestId: 'r2' }, T0 + 2 * H).result).toBe('closed');
    expect(surveyStatusView(first.state, 'r1')).toEqual({ status: 'answered', open: false, duplicate: true, score: 4 });
    expect(surveyStatusView(sent(), 'r1')).toEqual({ status: 'sent', open: true, duplicate: false });
  });

  it.each([[1, 'owed'], [2, 'owed'], [3, 'none'], [5, 'none']])('a score of %i → recovery %s', (score, recovery) => {
    expect(answerSurvey(sent(), { score, requestId: 'r' }, T0 + 2 * H).state.recovery).toBe(recovery);
  });

  it('the threshold is a policy setting', () => {
    const s = step(open(policy({ recoveryScoreAtMost: 3 })), T0 + H);
    expect(answerSurvey(s, { score: 3, requestId: 'r' }, T0 + 2 * H).state.recovery).toBe('owed');
  });

  it('after expiry an answer is refused', () => {
    const expired = step(open(), T0 + 7 * H);
    expect(answerSurvey(expired, { score: 5, requestId: 'late' }, T0 + 7 * H).result).toBe('closed');
    expect(surveyStatusView(expired)).toEqual({ status: 'expired', open: false, duplicate: false });
  });

  it('remembers a bounded number of request ids', () => {
    let s = step(open(), T0 + 7 * H);
    for (let i = 0; i < SEEN_REQUEST_IDS_KEPT + 10; i += 1) s = answerSurvey(s, { score: 5, requestId: `r${i}` }, T0 + 7 * H).state;
    expect(s.seenRequestIds).toHaveLength(SEEN_REQUEST_IDS_KEPT);
    expect(s.seenRequestIds.at(-1)).toBe(`r${SEEN_REQUEST_IDS_KEPT + 9}`);
  });
});

describe('sha256Hex (workflow-safe ids)', () => {
  it.each(['', 'abc', 'cp_0123\nsolution\n2', '投诉处理 🎯', 'x'.repeat(1000)])('%j matches node:crypto', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});
