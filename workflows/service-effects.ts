/**
 * Effects every kind shares, and the one way a case runs work the state asks for: `keyedEffect` starts each
 * piece of work once per key while it is in flight (a refund, a notice, a linked case, a question to the
 * order systems); notices go out once through the notifier; the customer journey links cases both ways.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { CaseKind } from './domain/case';
import { addCaseLink } from './domain/case-links';
import { markNoticeSent, unsentNotices, type CaseNotice } from './domain/service-case/records';
import type { CaseEffects } from './case-runtime';
import { announceToRelatedCase, caseLinked } from './links';

const { sendNotification } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export type StateAccess<S> = { get(): S; set(s: S): void };

/**
 * Runs `run(key)` for every key `wanted()` names that is not already in flight (at most `limit` at once:
 * the order systems answer one question of a kind at a time); busy while any runs. Each `run` feeds its
 * answer back into the state itself; a key is free again once its run has settled.
 */
export function keyedEffect<K>(wanted: () => Iterable<K>, run: (key: K) => Promise<unknown>, limit = Infinity): CaseEffects {
  const inFlight = new Set<K>();
  return {
    start() {
      for (const key of wanted()) {
        if (inFlight.has(key)) continue;
        if (inFlight.size >= limit) return;
        inFlight.add(key);
        void run(key).finally(() => inFlight.delete(key));
      }
    },
    busy: () => inFlight.size > 0,
  };
}

/**
 * Warnings, escalations, assignments and customer messages go out once each (ids derived from the case):
 * every unsent notice is handed to the notifier, and marked sent in state when it took it. A state without
 * notices (after-sales started before they queued any) sends none.
 */
export function noticeEffects<S extends { notices?: CaseNotice[]; updatedAt: number; revision: number }>(
  state: StateAccess<S>, o: { caseId: string; merchantId: string },
): CaseEffects {
  const noticing = (s: S) => s as S & { notices: CaseNotice[] };
  return keyedEffect(
    () => (state.get().notices ? unsentNotices(noticing(state.get())).map((n) => n.id) : []),
    (id) => {
      const notice = state.get().notices!.find((n) => n.id === id)!;
      return sendNotification({ id: notice.id, type: notice.type, caseId: o.caseId, merchantId: o.merchantId, to: notice.to, data: notice.data })
        .then(() => state.set(markNoticeSent(noticing(state.get()), notice.id, Date.now())));
    },
  );
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
