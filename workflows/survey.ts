/**
 * Satisfaction survey workflow (满意度调查/回访), one per closed case under an id derived from the case id,
 * so it is never sent twice. It waits, sends, reminds, takes the first answer (signals deduplicated by
 * request id) until expiry, records the result, and on a low score starts service recovery: the
 * complaint reopens at L2, or a new L2 complaint is opened, linked to the case.
 */
import {
  allHandlersFinished, condition, defineQuery, defineSignal, getExternalWorkflowHandle, patched, ParentClosePolicy, proxyActivities,
  setHandler, startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import { caseIdOf } from './domain/case-ids';
import { openComplaint } from './domain/complaint/machine';
import { sha256Hex } from './domain/complaint/digest';
import type { ComplaintRequest } from './domain/complaint/types';
import { complaintVisibility } from './domain/complaint/view';
import { timeZoneOf } from './domain/schedule';
import {
  advanceSurvey, answerSurvey, isSurveyOpen, markSurveyNoticeSent, nextSurveyWakeAt, openSurvey, recoveryStarted, surveyIdOf, surveyStatusView,
} from './domain/survey/machine';
import type { SurveyAnswer, SurveyRequest, SurveyState, SurveyStatusView } from './domain/survey/types';
import type { CaseEffects } from './case-runtime';
import { startLinkedCase } from './links';

/** A customer's answer, relayed by the callback route. */
export const surveyAnswered = defineSignal<[SurveyAnswer]>('surveyAnswered');
/** Whether an answer may still count (and whether this one was already seen). */
export const surveyStatus = defineQuery<SurveyStatusView, [string | undefined]>('surveyStatus');
/** Sent to a closed complaint inside its reopen window after a low score. */
export const serviceRecovery = defineSignal<[{ surveyId: string; score: number }]>('serviceRecovery');

const { sendNotification, publishSurveyEvents } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface SurveyOutcome {
  surveyId: string;
  caseId: string;
  result: 'score' | 'no_response';
  score: number | null;
  recovery: SurveyState['recovery'];
  recoveryCaseId?: string;
}

/** The complaint a low score opens when the original cannot be reopened: L2 from the start. */
function recoveryComplaint(s: SurveyState, score: number, now: number): ComplaintRequest {
  const { request } = s;
  return {
    caseId: caseIdOf('complaint', sha256Hex(`${request.caseId}\nservice-recovery`)),
    merchantId: request.merchantId, customerRef: request.customerRef, channel: 'other',
    category: 'service_recovery', severity: 'high', urgency: 'high', customerTier: 'regular',
    summary: `Service recovery: satisfaction score ${score} on ${request.caseId}`,
    ...(request.orderId ? { orderId: request.orderId } : {}),
    relatedCaseId: request.caseId, receivedAt: now, openedAt: now, policy: request.policy,
    createdBy: { keyId: `survey:${s.surveyId}`, role: 'system', merchants: [request.merchantId] },
    requestFingerprint: `survey:${s.surveyId}:recovery`,
    recoveryOf: { caseId: request.caseId, kind: request.kind, score },
  };
}

async function startRecoveryComplaint(s: SurveyState, score: number): Promise<string> {
  const now = Date.now();
  const request = recoveryComplaint(s, score, now);
  await startLinkedCase('complaint', request, complaintVisibility(openComplaint(request, now)));
  return request.caseId;
}

/** Patch id: the survey publishes what its timeline gained during the last flush before it ends. */
export const SURVEY_FINAL_FLUSH_PATCH = 'survey-final-flush';

export async function satisfactionSurvey(request: SurveyRequest): Promise<SurveyOutcome> {
  const timeZone = timeZoneOf(request.policy);
  let s = openSurvey(request);
  let published = 0;
  setHandler(surveyStatus, (requestId) => surveyStatusView(s, requestId));
  setHandler(surveyAnswered, (answer) => { s = answerSurvey(s, answer, Date.now()).state; });

  async function flush(): Promise<void> {
    for (const item of s.outbox.filter((o) => !o.sent)) {
      await sendNotification({
        id: item.id, type: item.type, caseId: request.caseId, merchantId: request.merchantId, to: { customerRef: request.customerRef },
        data: { surveyId: s.surveyId, kind: request.kind, ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}) },
      });
      s = markSurveyNoticeSent(s, item.id);
    }
    if (published < s.timeline.length) {
      const entries = s.timeline.slice(published);
      await publishSurveyEvents({ surveyId: s.surveyId, caseId: request.caseId, kind: request.kind, merchantId: request.merchantId, timeZone, firstSequence: published, entries });
      published += entries.length;
    }
  }

  for (;;) {
    await flush();
    if (!isSurveyOpen(s)) break;
    const wakeAt = nextSurveyWakeAt(s)!;
    if (wakeAt <= Date.now()) {
      s = advanceSurvey(s, Date.now());
      continue;
    }
    const revision = s.revision;
    await condition(() => s.revision !== revision, wakeAt - Date.now());
  }
  // An answer that arrived while the last flush was publishing is in the timeline but not yet out: publish it
  // (before this, such an answer never reached webhooks or the projection).
  if (patched(SURVEY_FINAL_FLUSH_PATCH)) await flush();

  if (s.recovery === 'owed' && s.answer) {
    const { score } = s.answer;
    let reopened = false;
    if (request.kind === 'complaint') {
      // A closed complaint still inside its reopen window takes the recovery itself; a finished one cannot.
      reopened = await getExternalWorkflowHandle(request.caseId).signal(serviceRecovery, { surveyId: s.surveyId, score }).then(() => true, () => false);
    }
    s = reopened
      ? recoveryStarted(s, 'reopened', request.caseId, Date.now())
      : recoveryStarted(s, 'new_complaint', await startRecoveryComplaint(s, score), Date.now());
    await flush();
  }
  await condition(allHandlersFinished);
  return {
    surveyId: s.surveyId, caseId: request.caseId, result: s.answer ? 'score' : 'no_response', score: s.answer?.score ?? null, recovery: s.recovery,
    ...(s.recoveryCaseId ? { recoveryCaseId: s.recoveryCaseId } : {}),
  };
}

/**
 * Starts the case's survey as a child (ABANDON: it outlives the case) the first time `closed()` yields a
 * request. The id is derived from the case id, so a case closing twice (reopen, appeal) is surveyed once.
 */
export function startSurveyOnClose(closed: () => SurveyRequest | null): CaseEffects {
  let state: 'waiting' | 'starting' | 'started' = 'waiting';
  return {
    start() {
      if (state !== 'waiting') return;
      const request = closed();
      if (!request) return;
      // Cases recorded before surveys existed replay without one.
      if (!patched('satisfaction-survey-on-close')) {
        state = 'started';
        return;
      }
      state = 'starting';
      void startChild(satisfactionSurvey, {
        workflowId: surveyIdOf(request.caseId), args: [request], parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE', memo: { merchantId: request.merchantId },
      })
        .catch((err) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        })
        .finally(() => { state = 'started'; });
    },
    busy: () => state === 'starting',
  };
}
