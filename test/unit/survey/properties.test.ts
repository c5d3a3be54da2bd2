/**
 * Property-based tests of the satisfaction survey (fast-check): whatever random mix of clock jumps and
 * callbacks (new, repeated, late, any score 1-5) reaches a survey, one answer at most counts, it counts only
 * while the survey is open, nothing is sent after expiry or twice, and recovery is owed exactly for low scores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CN_MARKETPLACE } from '../../../workflows/domain/policy/presets';
import { advanceSurvey, answerSurvey, isSurveyOpen, nextSurveyWakeAt, openSurvey } from '../../../workflows/domain/survey/machine';
import type { SurveyState } from '../../../workflows/domain/survey/types';

const T0 = Date.parse('2026-03-02T10:00:00+08:00');
const MINUTE = 60_000;

type Step = { kind: 'clock'; minutes: number } | { kind: 'answer'; score: number; requestId: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('clock' as const), minutes: fc.integer({ min: 0, max: 600 }) }),
  fc.record({ kind: fc.constant('answer' as const), score: fc.integer({ min: 1, max: 5 }), requestId: fc.constantFrom('r1', 'r2', 'r3', 'r4') }),
);

const settings = fc.record({
  delay: fc.integer({ min: 1, max: 240 }),
  reminder: fc.integer({ min: 1, max: 600 }),
  expiry: fc.integer({ min: 1, max: 1_440 }),
  reminders: fc.integer({ min: 0, max: 3 }),
  recoveryScoreAtMost: fc.integer({ min: 1, max: 4 }),
});

describe('survey properties', () => {
  it('one answer at most counts, only while open; nothing goes out after expiry or twice', () => {
    fc.assert(fc.property(settings, fc.array(step, { maxLength: 30, size: 'max' }), (cfg, steps) => {
      const minutes = (amount: number) => ({ amount, unit: 'minutes' as const });
      const policy = { ...CN_MARKETPLACE, survey: {
        deadlines: { delay: minutes(cfg.delay), reminder: minutes(cfg.reminder), expiry: minutes(cfg.expiry) },
        reminders: cfg.reminders, recoveryScoreAtMost: cfg.recoveryScoreAtMost,
      } };
      let s: SurveyState = openSurvey({ caseId: 'cp_x', kind: 'complaint', merchantId: 'm-a', customerRef: 'c', policy, closedAt: T0 });
      let now = T0;
      let counted: number | undefined;
      const seen = new Set<string>();
      for (const st of steps) {
        const before = s;
        now += MINUTE;
        if (st.kind === 'clock') {
          now += st.minutes * MINUTE;
          s = advanceSurvey(s, now);
          const wake = nextSurveyWakeAt(s);
          expect(wake === undefined || wake > now).toBe(true);
        } else {
          const wasOpen = isSurveyOpen(s) && (s.expiresAt === undefined || s.expiresAt > now);
          const answered = answerSurvey(s, { score: st.score, requestId: st.requestId }, now);
          if (seen.has(st.requestId)) expect(answered).toEqual({ state: before, result: 'duplicate' });
          else if (wasOpen) {
            expect(answered.result).toBe('accepted');
            counted = st.score;
          } else {
            expect(answered.result).toBe('closed');
            expect(answered.state.answer).toEqual(before.answer);
            expect(answered.state.status).toBe(before.status);
          }
          seen.add(st.requestId);
          s = answered.state;
        }
        // Invariants.
        expect(['scheduled', 'sent', 'answered', 'expired']).toContain(s.status);
        if (s !== before) expect(s.revision).toBeGreaterThan(before.revision);
        expect(s.answer?.score).toBe(counted);
        if (s.answer) {
          expect(s.status).toBe('answered');
          expect(s.answer.score).toBeGreaterThanOrEqual(1);
          expect(s.answer.score).toBeLessThanOrEqual(5);
          if (s.expiresAt !== undefined) expect(s.answer.respondedAt).toBeLessThan(s.expiresAt);
          expect(s.recovery).toBe(s.answer.score <= cfg.recoveryScoreAtMost ? 'owed' : 'none');
        } else {
          expect(s.recovery).toBe('none');
        }
        expect(s.timeline.filter((e) => e.type === 'survey.recorded').length).toBeLessThanOrEqual(1);
        expect(s.outbox.filter((o) => o.type === 'survey.sent').length).toBeLessThanOrEqual(1);
        expect(new Set(s.outbox.map((o) => o.id)).size).toBe(s.outbox.length);
        expect(s.remindersSent).toBeLessThanOrEqual(cfg.reminders);
        for (const at of s.reminderAts) expect(at > s.sentAt! && at < s.expiresAt!).toBe(true);
        if (s.sentAt !== undefined) expect(s.expiresAt!).toBeGreaterThan(s.sentAt);
        for (let i = 1; i < s.timeline.length; i += 1) expect(s.timeline[i].at).toBeGreaterThanOrEqual(s.timeline[i - 1].at);
      }
    }), { numRuns: 400 });
  });
});
