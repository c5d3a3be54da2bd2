/**
 * Effects shared by the kinds built on the service-case core (inquiry, order issue): notices sent once
 * through the notifier, the customer journey's links, and the survey at close.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
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

/** Warnings, escalations, assignments and customer messages go out once each (ids derived from the case). */
export function noticeEffects<S extends CaseCore>(state: StateAccess<S>, merchantId: string): CaseEffects {
  const inFlight = new Set<string>();
  return {
    start() {
      for (const notice of unsentNotices(state.get())) {
        if (inFlight.has(notice.id)) continue;
        inFlight.add(notice.id);
        void sendNotification({ id: notice.id, type: notice.type, caseId: state.get().caseId, merchantId, to: notice.to, data: notice.data })
          .then(() => state.set(markNoticeSent(state.get(), notice.id, Date.now())))
          .finally(() => inFlight.delete(notice.id));
      }
    },
    busy: () => inFlight.size > 0,
  };
}

/** Later cases about this one link back; the case this one was opened about learns of it. */
export function journeyEffects<S extends CaseCore>(state: StateAccess<S>, self: { caseId: string; kind: CaseKind }, relatedCaseId?: string): CaseEffects {
  setHandler(caseLinked, (notice) => state.set(addCaseLink(state.get(), notice, Date.now())));
  return announceToRelatedCase(relatedCaseId, self);
}

/** Common effects of a service case: notices, journey links, and the survey when the policy asks for one. */
export function serviceCaseEffects<S extends CaseCore>(
  state: StateAccess<S>, self: { caseId: string; kind: CaseKind; merchantId: string; relatedCaseId?: string }, survey: () => SurveyRequest | null,
  ...more: CaseEffects[]
): CaseEffects {
  return allEffects(
    journeyEffects(state, self, self.relatedCaseId),
    noticeEffects(state, self.merchantId),
    ...more,
    startSurveyOnClose(survey),
  );
}
