/**
 * A case's next deadline as words a supervisor scans in the Temporal UI ("resolution due Sat 28 Nov 21:05
 * (+08:00), arbiter must act; silence escalates"), in the case calendar's zone. Pure; no personal data.
 */
import type { Deadline, OnTimeout } from './case';
import { epochToLocal, zoneOffsetMs } from './clock';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** What silence does, as the end of a sentence starting "silence …". */
const SILENCE: Record<OnTimeout, string> = {
  auto_approve: 'approves',
  auto_close: 'closes the case',
  auto_refund: 'refunds',
  escalate: 'escalates',
  platform_execute: 'lets the platform execute the ruling',
  fallback_refund: 'refunds instead',
  resume: 'resumes the case',
  warn: 'only warns',
  close: 'closes the case',
};

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `Sat 28 Nov 21:05 (+08:00)`: the weekday, day, month and minute in `timeZone`, with its offset then. */
export function wallClockInWords(ms: number, timeZone: string): string {
  const local = epochToLocal(ms, timeZone);
  const weekday = WEEKDAYS[new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()];
  const offset = Math.round(zoneOffsetMs(ms, timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${weekday} ${local.day} ${MONTHS[local.month - 1]} ${pad2(local.hour)}:${pad2(local.minute)} (${sign}${pad2(Math.floor(Math.abs(offset) / 60))}:${pad2(Math.abs(offset) % 60)})`;
}

/** `merchantResponse` → `merchant response`. */
export function deadlineNameInWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

export function deadlineInWords(d: Pick<Deadline, 'name' | 'dueAt' | 'actor' | 'onTimeout'>, timeZone: string): string {
  const who = d.actor === 'system' ? 'the platform acts' : `${d.actor} must act`;
  return `${deadlineNameInWords(d.name)} due ${wallClockInWords(d.dueAt, timeZone)}, ${who}; silence ${SILENCE[d.onTimeout] ?? d.onTimeout.replace(/_/g, ' ')}`;
}
