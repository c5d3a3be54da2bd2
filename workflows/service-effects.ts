/**
 * Effects every kind shares: notices sent once through the notifier, the customer journey's links, and (for
 * the service cases, inquiry and order issue, in one call) the survey at close.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { Notification } from '../activities/adapters/notifications';
import type { CaseKind } from './domain/case';
import { addCaseLink } from './domain/case-links';
import { markNoticeSent, unsentNotices, type CaseCore } from './domain/service-case/core';
import type { SurveyRequest } from './domain/survey/types';
import type { CaseEffects } from './case-runtime';
import { allEffects } from './case-runtime';
import { announceToRelatedCase, caseLinked } from './links';
import { startSurveyOnClose } from './survey';

const { sendNotification } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export type StateAccess<S> = { get(): S; set(s: S): void };

/** A notice as a case kind keeps it until the notifier has taken it. */
interface PendingNotice { id: string; type: string; to: Notification['to']; data: Record<string, unknown> }

/**
 * Warnings, escalations, assignments and customer messages go out once each (ids derived from the case):
 * every unsent notice is handed to the notifier, and marked sent in state when it took it.
 */
export function noticeEffects<S>(state: StateAccess<S>, o: {
  caseId: string; merchantId: string; unsent(s: S): PendingNotice[]; markSent(s: S, id: string, now: number): S;
}): CaseEffects {
  const inFlight = new Set<string>();
  return {
    start() {
      for (const notice of o.unsent(state.get())) {
        if (inFlight.has(notice.id)) continue;
        inFlight.add(notice.id);
        void sendNotification({ id: notice.id, type: notice.type, caseId: o.caseId, merchantId: o.merchantId, to: notice.to, data: notice.data })
          .then(() => state.set(o.markSent(state.get(), notice.id, Date.now())))
          .finally(() => inFlight.delete(notice.id));
      }
    },
    busy: () => inFlight.size > 0,
  };
}

/**
 * Later cases about this one link back; the case this one was opened about learns of it (behind `patchId`
 * for kinds that released without telling it).
 */
export function journeyEffects<S extends Parameters<typeof addCaseLink>[0]>(
  state: StateAccess<S>, self: { caseId: string; kind: CaseKind }, relatedCaseId?: string, patchId?: string,
): CaseEffects {
  setHandler(caseLinked, (notice) => state.set(addCaseLink(state.get(), notice, Date.now())));
  return announceToRelatedCase(relatedCaseId, self, patchId);
}

/** Common effects of a service case: notices, journey links, and the survey when the policy asks for one. */
export function serviceCaseEffects<S extends CaseCore>(
  state: StateAccess<S>, self: { caseId: string; kind: CaseKind; merchantId: string; relatedCaseId?: string }, survey: () => SurveyRequest | null,
  ...more: CaseEffects[]
): CaseEffects {
  return allEffects(
    journeyEffects(state, self, self.relatedCaseId),
    noticeEffects(state, { caseId: self.caseId, merchantId: self.merchantId, unsent: unsentNotices, markSent: markNoticeSent }),
    ...more,
    startSurveyOnClose(survey),
  );
}
