/**
 * The bookkeeping every complaint change is made of: a draft copy to change, timeline entries, and
 * notices queued for the workflow to send once (each under an id derived from the case, never a run).
 */
import type { ActorRole, Owner } from '../case';
import type { ComplaintNotice, ComplaintState } from './types';

export function draftOf(state: ComplaintState, now: number): ComplaintState {
  const draft = JSON.parse(JSON.stringify(state)) as ComplaintState;
  draft.updatedAt = Math.max(draft.updatedAt, now);
  draft.revision += 1;
  return draft;
}

export function record(s: ComplaintState, at: number, type: string, by: ActorRole, data?: Record<string, unknown>, actorRef?: string): void {
  s.timeline.push({ at, type, actor: by, ...(actorRef ? { actorRef } : {}), ...(data ? { data } : {}) });
}

/** Queues a message to an owner (person or tier queue); the workflow sends it exactly once. */
export function queueNotice(s: ComplaintState, type: ComplaintNotice['type'], to: Owner, data: Record<string, unknown>): void {
  const id = `${s.request.caseId}:notice:${s.notices.length + 1}`;
  s.notices.push({ id, type, to, data, sent: false });
}

export function unsentNotices(s: ComplaintState): ComplaintNotice[] {
  return s.notices.filter((n) => !n.sent);
}

/** The notifier accepted a notice: it is never sent again. */
export function markNoticeSent(state: ComplaintState, id: string, now: number): ComplaintState {
  if (!state.notices.some((n) => n.id === id && !n.sent)) return state;
  const s = draftOf(state, now);
  s.notices.find((n) => n.id === id)!.sent = true;
  return s;
}
