/**
 * The case-id scheme. An id is `<prefix>_<digest>`: the prefix names the kind so callbacks route without a
 * lookup; the digest is a hash of (API key id, route, Idempotency-Key) computed at the edge, so a retried
 * create lands on the same workflow id and ids never carry personal data or raw keys.
 */
import type { CaseKind } from './case';

export const CASE_ID_PREFIX: Record<CaseKind, string> = {
  inquiry: 'iq',
  order_issue: 'oi',
  after_sale: 'as',
  complaint: 'cp',
};

/** Digest part: lowercase hex, 24 to 64 characters. */
const CASE_ID_PATTERN = /^(iq|oi|as|cp)_([0-9a-f]{24,64})$/;

export function caseIdOf(kind: CaseKind, digestHex: string): string {
  return `${CASE_ID_PREFIX[kind]}_${digestHex.slice(0, 32)}`;
}

/** The kind a case id names, or null when the string is not a case id. */
export function kindOfCaseId(id: string): CaseKind | null {
  const match = CASE_ID_PATTERN.exec(id);
  if (!match) return null;
  const prefix = match[1];
  const entry = (Object.entries(CASE_ID_PREFIX) as [CaseKind, string][]).find(([, p]) => p === prefix);
  return entry ? entry[0] : null;
}
