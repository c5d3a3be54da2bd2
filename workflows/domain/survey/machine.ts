/**
 * The survey's rules: wait `delay` after close → send → up to `reminders` reminders `reminder` apart while
 * no answer came → no answers after `expiry` (counted from the send) → record the score or no response.
 * The first answer wins; a repeated callback changes nothing; a score at or below the policy's threshold
 * owes service recovery. Pure.
 */
import { surveySettings } from '../policy/sections/survey';
import { scheduleFrom } from '../schedule';
import { draftOf, record as recordOnTimeline } from '../service-case/records';
import type { SurveyAnswer, SurveyRequest, SurveyState, SurveyStatusView } from './types';

/** How many callback ids a survey remembers: far more than any retry storm of one survey. */
export const SEEN_REQUEST_IDS_KEPT = 50;

/** The survey's workflow id: one per case, so a case is never surveyed twice. */
export function surveyIdOf(caseId: string): string {
  return `${caseId}:survey`;
}

const settingsOf = (s: { request: SurveyRequest }) => surveySettings(s.request.policy.survey);
const due = (s: { request: SurveyRequest }, name: 'delay' | 'reminder' | 'expiry', from: number) => scheduleFrom(s.request.policy, settingsOf(s).deadlines[name], from).dueAt;

/** Every survey entry is the system's: the customer answers through a callback, never as an actor. */
function record(s: SurveyState, at: number, type: string, data?: Record<string, unknown>): void {
  recordOnTimeline(s, at, type, 'system', data);
}

export function openSurvey(request: SurveyRequest): SurveyState {
  const s: SurveyState = {
    request, surveyId: surveyIdOf(request.caseId), status: 'scheduled', sendAt: 0, reminderAts: [], remindersSent: 0,
    seenRequestIds: [], outbox: [], recovery: 'none', timeline: [], revision: 0,
  };
  // Nothing is published before the survey goes out: the case's own events end with its close.
  s.sendAt = due(s, 'delay', request.closedAt);
  return s;
}

export function isSurveyOpen(s: SurveyState): boolean {
  return s.status === 'scheduled' || s.status === 'sent';
}

export function nextSurveyWakeAt(s: SurveyState): number | undefined {
  if (s.status === 'scheduled') return s.sendAt;
  if (s.status !== 'sent') return undefined;
  const reminder = s.reminderAts[s.remindersSent];
  return reminder !== undefined ? Math.min(reminder, s.expiresAt!) : s.expiresAt;
}

/** Sends, reminds and expires whatever is due at `now`, in order. */
export function advanceSurvey(state: SurveyState, now: number): SurveyState {
  const wake = nextSurveyWakeAt(state);
  if (wake === undefined || wake > now) return state;
  const s = draftOf(state);
  if (s.status === 'scheduled' && s.sendAt <= now) {
    s.status = 'sent';
    s.sentAt = s.sendAt;
    s.expiresAt = due(s, 'expiry', s.sentAt);
    const { reminders } = settingsOf(s);
    let at = s.sentAt;
    for (let i = 0; i < reminders; i += 1) {
      at = due(s, 'reminder', at);
      if (at < s.expiresAt) s.reminderAts.push(at);
    }
    s.outbox.push({ id: `${s.surveyId}:sent`, type: 'survey.sent', sent: false });
    record(s, now, 'survey.sent', { surveyId: s.surveyId, expiresAt: s.expiresAt });
  }
  while (s.status === 'sent' && s.reminderAts[s.remindersSent] !== undefined && s.reminderAts[s.remindersSent] <= now && s.reminderAts[s.remindersSent] < s.expiresAt!) {
    s.remindersSent += 1;
    s.outbox.push({ id: `${s.surveyId}:reminder:${s.remindersSent}`, type: 'survey.reminder', sent: false });
    record(s, now, 'survey.reminded', { surveyId: s.surveyId, reminder: s.remindersSent });
  }
  if (s.status === 'sent' && s.expiresAt! <= now) {
    s.status = 'expired';
    record(s, now, 'survey.recorded', { surveyId: s.surveyId, result: 'no_response' });
  }
  return s;
}

export function surveyStatusView(s: SurveyState, requestId?: string): SurveyStatusView {
  return {
    status: s.status, open: isSurveyOpen(s), duplicate: requestId !== undefined && s.seenRequestIds.includes(requestId),
    ...(s.answer ? { score: s.answer.score } : {}),
  };
}

export type AnswerResult = 'accepted' | 'duplicate' | 'closed';

/** A customer's answer. The first one within the survey's life counts; repeats and late ones do not. */
export function answerSurvey(state: SurveyState, answer: SurveyAnswer, now: number): { state: SurveyState; result: AnswerResult } {
  if (state.seenRequestIds.includes(answer.requestId)) return { state, result: 'duplicate' };
  const s = draftOf(state);
  s.seenRequestIds = [...s.seenRequestIds, answer.requestId].slice(-SEEN_REQUEST_IDS_KEPT);
  if (!isSurveyOpen(s) || (s.expiresAt !== undefined && s.expiresAt <= now)) return { state: s, result: 'closed' };
  s.status = 'answered';
  s.answer = { score: answer.score, ...(answer.comment ? { comment: answer.comment } : {}), respondedAt: answer.respondedAt ?? now };
  record(s, now, 'survey.recorded', { surveyId: s.surveyId, result: 'score', score: answer.score });
  if (answer.score <= settingsOf(s).recoveryScoreAtMost) {
    s.recovery = 'owed';
    record(s, now, 'survey.recovery_owed', { surveyId: s.surveyId, score: answer.score });
  }
  return { state: s, result: 'accepted' };
}

/** Recovery done: the complaint reopened, or a new L2 complaint was started. */
export function recoveryStarted(state: SurveyState, how: 'reopened' | 'new_complaint', caseId: string, now: number): SurveyState {
  const s = draftOf(state);
  s.recovery = how;
  s.recoveryCaseId = caseId;
  record(s, now, 'survey.recovery_started', { surveyId: s.surveyId, how, caseId });
  return s;
}

export function markSurveyNoticeSent(state: SurveyState, id: string): SurveyState {
  const s = draftOf(state);
  const item = s.outbox.find((o) => o.id === id);
  if (item) item.sent = true;
  return s;
}
