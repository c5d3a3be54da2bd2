/**
 * Instants a caller sends (docs/http-contract.md): ISO-8601 with offset, may lie in the past, more than five
 * minutes in the future is a client error (400).
 */
import { Problem } from './problems';

/** Caller times may lie in the past; more than this in the future is a client error. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** An ISO instant as epoch ms, refused (400) when it lies too far in the future. */
export function callerInstant(iso: string, field: string, now: number): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Problem(400, 'invalid-request', `${field} is not a valid date-time`);
  if (ms > now + MAX_FUTURE_SKEW_MS) throw new Problem(400, 'invalid-request', `${field} lies more than 5 minutes in the future`, { field });
  return ms;
}
