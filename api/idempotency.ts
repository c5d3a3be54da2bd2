/**
 * Idempotency at the edge. Every create, action and policy PUT carries an `Idempotency-Key` (≤ 255
 * printable ASCII characters), scoped to the API key and the route. Nothing is stored by the API:
 *
 * - Create: the case id is `<kind prefix>_<sha256(keyId \n route \n key)>` (route = the route pattern,
 *   `POST /v1/after-sales`), started with `workflowIdConflictPolicy: FAIL` and
 *   `workflowIdReusePolicy: REJECT_DUPLICATE`, memo `{ requestFingerprint, merchantId }`. A retry hits
 *   `WorkflowExecutionAlreadyStartedError`; the memo's fingerprint equal to this request's → 200 with the
 *   current view; different → 422 `idempotency-key-reused`. Ids never carry raw keys or personal data.
 * - Actions and policy publishes: an Update whose `updateId` is the same kind of hash (the route includes
 *   the case or policy id and the action). Temporal answers a repeated update id with the first outcome;
 *   the result carries the first request's fingerprint, so a different body → 422.
 * - Rejected requests (validator failures, 4xx) leave no trace, so a retry is judged again.
 *
 * The fingerprint is the SHA-256 of the canonical JSON (sorted keys) of the body as sent.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { caseIdOf } from '../workflows/domain/case-ids';
import type { CaseKind } from '../workflows/domain/case';
import { canonicalJson } from '../workflows/domain/canonical-json';
import { Problem } from './problems';

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** Headers schema piece for routes that need a key (other headers pass through untouched). */
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z.string({ error: 'Idempotency-Key header is required' })
    .regex(IDEMPOTENCY_KEY_PATTERN, 'Idempotency-Key must be 1 to 255 printable ASCII characters')
    .describe('Client-chosen key; the same key with the same body answers the first result'),
});

function scopedDigest(keyId: string, route: string, idempotencyKey: string): string {
  if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) throw new Problem(400, 'invalid-request', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
  return sha256Hex(`${keyId}\n${route}\n${idempotencyKey}`);
}

/** The workflow id a create lands on: the same for every retry of the same key on the same route. */
export function caseIdFor(kind: CaseKind, keyId: string, route: string, idempotencyKey: string): string {
  return caseIdOf(kind, scopedDigest(keyId, route, idempotencyKey));
}

/** The Update id of an action or publish; `route` names the target, e.g. `POST /v1/after-sales/as_…/actions/approve`. */
export function updateIdFor(keyId: string, route: string, idempotencyKey: string): string {
  return `upd_${scopedDigest(keyId, route, idempotencyKey)}`;
}

/** SHA-256 of the canonical JSON of a request body: equal bodies, equal fingerprints, any key order. */
export function fingerprint(body: unknown): string {
  return sha256Hex(canonicalJson(body ?? null));
}

export function keyReused(what: string): Problem {
  return new Problem(422, 'idempotency-key-reused', `This Idempotency-Key was already used for a different ${what}; use a new key for a new request`);
}
