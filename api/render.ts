/**
 * Case views at the edge: epoch-ms times inside become ISO-8601 strings with the offset of the case
 * calendar's zone (+08:00 for Asia/Shanghai), as docs/http-contract.md promises. Every time field of a view is named
 * `at`, `since` or `…At`, so one renderer serves every case kind. `timeZone` stays in the view.
 */
import { epochToLocal } from '../workflows/domain/clock';
import { pad } from '../workflows/domain/clock/local-date';

const isTimeField = (name: string) => name === 'at' || name === 'since' || /[a-z]At$/.test(name);

/**
 * The text of `toIsoWithOffset` (workflows/domain/clock), from one reading of the zone's wall clock where it
 * takes two (its offset is that same reading's distance from UTC): Intl's formatToParts is most of what
 * rendering a view costs. test/unit/render.test.ts holds the two equal.
 */
export function isoWithOffset(ms: number, timeZone: string): string {
  const local = epochToLocal(ms, timeZone);
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
  const offsetMinutes = Math.round((wall - ms) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const date = `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)}`;
  const time = `${pad(local.hour, 2)}:${pad(local.minute, 2)}:${pad(local.second, 2)}.${pad(local.millisecond, 3)}`;
  return `${date}T${time}${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60), 2)}:${pad(Math.abs(offsetMinutes) % 60, 2)}`;
}

/**
 * Deep copy of `value` with every numeric time field rendered as ISO-8601 in `timeZone`. A view repeats
 * its instants (createdAt, updatedAt and the first timeline entry are one): each distinct instant is
 * rendered once per call.
 */
export function renderTimes(value: unknown, timeZone: string): unknown {
  return copyRendered(value, timeZone, new Map());
}

function copyRendered(node: unknown, timeZone: string, rendered: Map<number, string>): unknown {
  if (Array.isArray(node)) return node.map((item) => copyRendered(item, timeZone, rendered));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(node)) {
    const field = (node as Record<string, unknown>)[name];
    let value: unknown;
    if (typeof field === 'number' && isTimeField(name)) {
      value = rendered.get(field);
      if (value === undefined) {
        value = isoWithOffset(field, timeZone);
        rendered.set(field, value as string);
      }
    } else {
      value = copyRendered(field, timeZone, rendered);
    }
    // An own property whatever its name (`__proto__` included), as Object.fromEntries makes it.
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}

export function renderCaseView<V extends { timeZone: string }>(view: V): unknown {
  return renderTimes(view, view.timeZone);
}

/** Any instant in a given zone (policy publish times, for example). */
export function isoInZone(ms: number, timeZone: string): string {
  return isoWithOffset(ms, timeZone);
}
