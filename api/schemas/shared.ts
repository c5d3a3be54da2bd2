/**
 * Schema pieces every resource shares: money in minor units, ISO-8601 instants with offset, actor
 * references, problem responses. Request objects are `.strict()`: unknown fields are a 400.
 */
import { z } from 'zod';
import { problemSchema } from '../problems';

export const moneySchema = z.object({
  amount: z.number().int().min(0).describe('Integer minor units (fen for CNY)'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be 3 uppercase letters (ISO 4217)'),
}).strict();

export const isoInstantSchema = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with offset, e.g. 2026-11-22T16:40:00+08:00' })
  .describe('ISO-8601 date-time with offset');

/**
 * The rule for every time a caller gives (docs/http-contract.md "Conventions"): the past is fine, the future
 * only within 5 minutes.
 */
export const CALLER_TIME_RULE = 'ISO-8601 date-time with offset; may lie in the past (a deadline already passed then fires at once); more than 5 minutes in the future is a 400';

/** A caller-given event time (requestedAt, deliveredAt, receivedAt, ...), its rule stated in the document. */
export function callerTimeSchema(what: string) {
  return isoInstantSchema.describe(`${what}. ${CALLER_TIME_RULE}`);
}

/** Cross-field rule of every amount in a request that carries an order: one currency throughout. */
export const SAME_CURRENCY_RULE = 'in the currency of order.paidTotal (another currency is a 400)';

/** Pseudonymous id of the person acting; recorded in the timeline, compared by four-eyes checks. */
export const actorRefSchema = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'actorRef must be printable ASCII without spaces');

/** Ids that go into workflow ids and search attributes: no spaces, no personal data. */
export const referenceIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits and . _ : -');

/** The problem responses a route can answer, for OpenAPI (bodies are written by the error handler). */
export function problemResponses<const C extends readonly number[]>(...codes: C): { [K in C[number]]: typeof problemSchema } {
  return Object.fromEntries(codes.map((c) => [c, problemSchema])) as { [K in C[number]]: typeof problemSchema };
}

/** `:id` of a case route: any id; one that cannot be a case id is answered 404 like an unknown case. */
export const caseIdParams = z.object({
  id: z.string().min(1).describe('A case id: as_…, cp_…, iq_… or oi_… as a create answered it; any other id is an unknown case (404)'),
}).strict();

/** A closed case's satisfaction survey (CSAT); absent while the case is open or when none was sent. */
export const satisfactionSchema = z.object({
  surveyId: z.string(),
  status: z.enum(['scheduled', 'sent', 'answered', 'expired']).describe('expired: no answer before the survey closed'),
  score: z.number().int().min(1).max(5).nullable(),
}).describe('The satisfaction survey of a closed case, read from the survey itself');

/** A case this one is opened about (the customer journey); it must be a case of the same merchant. */
export const relatedCaseIdSchema = z.string().regex(/^(iq|oi|as|cp)_[0-9a-f]{24,64}$/, 'relatedCaseId must be a case id')
  .describe('A case of the same merchant this one is opened about (an inquiry, order issue, after-sale or complaint); both cases link to each other');
