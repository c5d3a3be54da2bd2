/**
 * Case views at the edge: epoch-ms times inside become ISO-8601 strings with the offset of the case
 * calendar's zone (+08:00 for Asia/Shanghai), as API.md promises. `timeZone` stays in the view.
 */
import { toIsoWithOffset } from '../workflows/domain/clock';
import type { AfterSaleView } from '../workflows/domain/after-sale/view';

type Iso<T, K extends keyof T> = Omit<T, K> & { [P in K]: undefined extends T[P] ? string | undefined : string };

export type RenderedAfterSaleView = Omit<AfterSaleView, 'deadlines' | 'timeline' | 'refunds' | 'suspension' | 'createdAt' | 'updatedAt'> & {
  deadlines: Array<Iso<AfterSaleView['deadlines'][number], 'dueAt' | 'warnedAt'>>;
  timeline: Array<Iso<AfterSaleView['timeline'][number], 'at'>>;
  refunds: Array<Iso<AfterSaleView['refunds'][number], 'executedAt'>>;
  suspension: { reason: string; since: string; resumesAt: string } | null;
  createdAt: string;
  updatedAt: string;
};

export function renderAfterSaleView(view: AfterSaleView): RenderedAfterSaleView {
  const iso = (ms: number) => toIsoWithOffset(ms, view.timeZone);
  return {
    ...view,
    deadlines: view.deadlines.map(({ dueAt, warnedAt, ...d }) => ({ ...d, dueAt: iso(dueAt), ...(warnedAt !== undefined ? { warnedAt: iso(warnedAt) } : {}) })),
    timeline: view.timeline.map(({ at, ...entry }) => ({ ...entry, at: iso(at) })),
    refunds: view.refunds.map(({ executedAt, ...r }) => ({ ...r, ...(executedAt !== undefined ? { executedAt: iso(executedAt) } : {}) })),
    suspension: view.suspension ? { reason: view.suspension.reason, since: iso(view.suspension.since), resumesAt: iso(view.suspension.resumesAt) } : null,
    createdAt: iso(view.createdAt),
    updatedAt: iso(view.updatedAt),
  };
}

/** Any instant in a given zone (policy publish times, for example). */
export function isoInZone(ms: number, timeZone: string): string {
  return toIsoWithOffset(ms, timeZone);
}
