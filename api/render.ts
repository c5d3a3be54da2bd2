/**
 * Case views at the edge: epoch-ms times inside become ISO-8601 strings with the offset of the case
 * calendar's zone (+08:00 for Asia/Shanghai), as docs/http-contract.md promises. Every time field of a view is named
 * `at`, `since` or `…At`, so one renderer serves every case kind. `timeZone` stays in the view.
 */
import { toIsoWithOffset } from '../workflows/domain/clock';

const isTimeField = (name: string) => name === 'at' || name === 'since' || /[a-z]At$/.test(name);

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
        value = toIsoWithOffset(field, timeZone);
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
  return toIsoWithOffset(ms, timeZone);
}
