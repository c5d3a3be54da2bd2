/**
 * Case views at the edge: epoch-ms times inside become ISO-8601 strings with the offset of the case
 * calendar's zone (+08:00 for Asia/Shanghai), as docs/http-contract.md promises. Every time field of a view is named
 * `at`, `since` or `…At`, so one renderer serves every case kind. `timeZone` stays in the view.
 */
import { toIsoWithOffset } from '../workflows/domain/clock';

const isTimeField = (name: string) => name === 'at' || name === 'since' || /[a-z]At$/.test(name);

/** Deep copy of `value` with every numeric time field rendered as ISO-8601 in `timeZone`. */
export function renderTimes(value: unknown, timeZone: string): unknown {
  if (Array.isArray(value)) return value.map((item) => renderTimes(item, timeZone));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([name, field]) => [
    name,
    typeof field === 'number' && isTimeField(name) ? toIsoWithOffset(field, timeZone) : renderTimes(field, timeZone),
  ]));
}

export function renderCaseView<V extends { timeZone: string }>(view: V): unknown {
  return renderTimes(view, view.timeZone);
}

/** Any instant in a given zone (policy publish times, for example). */
export function isoInZone(ms: number, timeZone: string): string {
  return toIsoWithOffset(ms, timeZone);
}
