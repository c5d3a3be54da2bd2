/**
 * The kernel's bookkeeping: a draft copy per change (the revision the workflow wakes on), timeline entries,
 * and notices queued for the workflow to send once, each under an id derived from the case, never a run. Pure.
 */
import type { Actor, ActorRole, Owner, TimelineEntry } from '../case';

/** A message to a staff owner (queue or person) or to the customer; sent once by the workflow under `id`. */
export interface CaseNotice {
  id: string;
  type: string;
  to: Owner | { customerRef: string };
  data: Record<string, unknown>;
  sent: boolean;
}

/** What every kind's state has for the kernel's bookkeeping: a timeline and a revision per change. */
export interface Recorded {
  timeline: TimelineEntry[];
  updatedAt: number;
  revision: number;
}

/** A state that queues notices; their ids derive from the case id of its request. */
export interface Noticing<N extends CaseNotice = CaseNotice> {
  request: { caseId: string };
  notices: N[];
}

/** A copy to change, one revision on; a state that keeps `updatedAt` (every case kind; not a survey) moves it to `now`. */
export function draftOf<S extends { updatedAt?: number; revision: number }>(state: S, now?: number): S {
  const draft = JSON.parse(JSON.stringify(state)) as S;
  if (draft.updatedAt !== undefined && now !== undefined) draft.updatedAt = Math.max(draft.updatedAt, now);
  draft.revision += 1;
  return draft;
}

/** The draft an action works on, its `action.<name>` entry recorded with the fields it came with (`recorded`: all by default). */
export function draftForAction<S extends Recorded>(state: S, req: { action: string; actor: Actor; input: object }, now: number, recorded: object = req.input): S {
  const s = draftOf(state, now);
  record(s, now, `action.${req.action}`, req.actor, Object.keys(recorded).length ? { ...recorded } : undefined);
  return s;
}

/** A timeline entry; an actor given whole lends its role and, unless one is given, its actorRef. */
export function record(s: { timeline: TimelineEntry[] }, at: number, type: string, by: ActorRole | Actor, data?: Record<string, unknown>, actorRef?: string): void {
  const role = typeof by === 'string' ? by : by.role;
  const ref = actorRef ?? (typeof by === 'string' ? undefined : by.actorRef);
  s.timeline.push({ at, type, actor: role, ...(ref ? { actorRef: ref } : {}), ...(data ? { data } : {}) });
}

/** Queues a message to an owner (person or tier queue) or the customer; the workflow sends it exactly once. */
export function queueNotice<N extends CaseNotice>(s: Noticing<N>, type: N['type'], to: N['to'], data: Record<string, unknown>): void {
  s.notices.push({ id: `${s.request.caseId}:notice:${s.notices.length + 1}`, type, to, data, sent: false } as N);
}

export function unsentNotices<N extends CaseNotice>(s: { notices: N[] }): N[] {
  return s.notices.filter((n) => !n.sent);
}

/** The notifier accepted a notice: it is never sent again. */
export function markNoticeSent<S extends { notices: CaseNotice[]; updatedAt: number; revision: number }>(state: S, id: string, now: number): S {
  if (!state.notices.some((n) => n.id === id && !n.sent)) return state;
  const s = draftOf(state, now);
  s.notices.find((n) => n.id === id)!.sent = true;
  return s;
}

