/**
 * Linked cases (a complaint's refund, a lost parcel's compensation): a case started from another carries
 * its origin and, once closed, signals the origin with its outcome so the origin can move on.
 */
import { ParentClosePolicy, defineSignal, getExternalWorkflowHandle, patched, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CaseKind, Money } from './domain/case';
import { FOLLOW_UP } from './domain/case-links';
import type { CaseEffects } from './case-runtime';
import { caseStartAttributes, type CaseVisibility } from './case-visibility';

export interface CaseOrigin {
  caseId: string;
  kind: CaseKind;
}

export interface LinkedCaseOutcome {
  caseId: string;
  kind: CaseKind;
  status: string;
  outcome: string | null;
  /** Money refunded by the linked case, when it refunds. */
  refunded?: Money;
  at: number;
}

/** Sent by a linked case to its origin when it closes. Origins deduplicate by `caseId`. */
export const linkedCaseClosed = defineSignal<[LinkedCaseOutcome]>('linkedCaseClosed');

/**
 * A case opened about another (`relatedCaseId`, or a child a case started) tells that case, so both
 * reference each other along the customer's journey. Receivers add `{ id, kind, relation }` to their
 * links once (deduplicate by `id`); relation is the receiver's view of the sender, e.g. `follow_up`.
 */
export interface CaseLinkNotice {
  id: string;
  kind: CaseKind;
  relation: string;
  at: number;
}
export const caseLinked = defineSignal<[CaseLinkNotice]>('caseLinked');

/** Signals the origin once, when `closed()` first holds; keeps the case open until the signal is sent. */
export function notifyOriginOnClose(origin: CaseOrigin | undefined, closed: () => LinkedCaseOutcome | null): CaseEffects {
  let state: 'waiting' | 'sending' | 'sent' = origin ? 'waiting' : 'sent';
  return {
    start() {
      if (state !== 'waiting' || !origin) return;
      const outcome = closed();
      if (!outcome) return;
      state = 'sending';
      void getExternalWorkflowHandle(origin.caseId).signal(linkedCaseClosed, outcome)
        // An origin that already finished has nobody left to tell: the linked case still closes.
        .catch(() => undefined)
        .finally(() => { state = 'sent'; });
    },
    busy: () => state === 'sending',
  };
}

/**
 * Tells the case this one was opened about, once, so it links back (`follow_up`). A related case that
 * already finished cannot be told; the link still stands on this side. `patchId` guards released kinds:
 * cases recorded before the journey existed replay without the notice.
 */
export function announceToRelatedCase(relatedCaseId: string | undefined, self: CaseOrigin, patchId?: string): CaseEffects {
  let state: 'waiting' | 'sending' | 'sent' = relatedCaseId && relatedCaseId !== self.caseId ? 'waiting' : 'sent';
  return {
    start() {
      if (state !== 'waiting') return;
      if (patchId && !patched(patchId)) {
        state = 'sent';
        return;
      }
      state = 'sending';
      void getExternalWorkflowHandle(relatedCaseId!).signal(caseLinked, { id: self.caseId, kind: self.kind, relation: FOLLOW_UP, at: Date.now() })
        .catch(() => undefined)
        .finally(() => { state = 'sent'; });
    },
    busy: () => state === 'sending',
  };
}

/** What a case started by another case needs to start under its own id (its request has more). */
export interface LinkedCaseRequest {
  caseId: string;
  merchantId: string;
  orderId?: string;
  policy: { id: string };
  requestFingerprint: string;
}

/**
 * Starts a case as the child of another (a complaint's refund, a lost parcel's compensation, a survey's
 * recovery complaint): under its deterministic id, searchable from the start, outliving its origin
 * (ABANDON). A start repeated after a restart finds it already running, which is success.
 */
export async function startLinkedCase(workflowType: string, request: LinkedCaseRequest, visibility: CaseVisibility): Promise<void> {
  try {
    await startChild(workflowType, {
      workflowId: request.caseId, args: [request], parentClosePolicy: ParentClosePolicy.ABANDON, workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { merchantId: request.merchantId, requestFingerprint: request.requestFingerprint }, typedSearchAttributes: caseStartAttributes(request, visibility),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
