/**
 * Links between the cases of one customer journey (inquiry → order issue → after-sale → complaint). A case
 * opened about another names it (`related`); the other learns of it through a notice and links back
 * (`follow_up`). Links are references only: ids and kinds, never personal data. Pure.
 */
import type { CaseKind, CaseLink, TimelineEntry } from './case';
import { kindOfCaseId } from './case-ids';

/** How a case sees a later case opened about it. */
export const FOLLOW_UP = 'follow_up';

interface Linkable {
  links: CaseLink[];
  timeline: TimelineEntry[];
  revision: number;
  updatedAt: number;
}

/** The link a new case records to the case it was opened about, or null when the id names no case. */
export function relatedLinkOf(relatedCaseId: string | undefined, relation = 'related'): CaseLink | null {
  const kind = relatedCaseId ? kindOfCaseId(relatedCaseId) : null;
  return kind ? { id: relatedCaseId!, kind, relation } : null;
}

/** Adds a link once (by id), with a `case.linked` timeline entry; an id already linked changes nothing. */
export function addCaseLink<S extends Linkable>(state: S, link: { id: string; kind: CaseKind; relation: string }, at: number): S {
  if (state.links.some((l) => l.id === link.id)) return state;
  const s = JSON.parse(JSON.stringify(state)) as S;
  s.revision += 1;
  s.updatedAt = Math.max(s.updatedAt, at);
  s.links.push({ id: link.id, kind: link.kind, relation: link.relation });
  s.timeline.push({ at, type: 'case.linked', actor: 'system', data: { caseId: link.id, kind: link.kind, relation: link.relation } });
  return s;
}
