/**
 * `/v1/policy-selection`: the ordered rules that pick a policy for a case whose request names none
 * (first match wins; criteria merchantId, kind, type, customerTier; default cn-marketplace). Versioned
 * like policies; `PUT` is for admins.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_KINDS } from '../../workflows/domain/case';
import { DEFAULT_POLICY_ID } from '../../workflows/domain/policy/presets';
import { selectPolicyId, type Selection, type SelectionFacts, type SelectionRules } from '../../workflows/domain/policy/select';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { publishDocumentVersion, readDocument } from '../document-store';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { problemResponses, referenceIdSchema } from '../schemas/shared';

const SELECTION_ID = 'default';
const values = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(500).optional();

const rulesBody = z.object({
  rules: z.array(z.object({
    policyId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    when: z.object({
      merchantId: values(referenceIdSchema), kind: values(z.enum(CASE_KINDS)), type: values(z.string().min(1).max(40)), customerTier: values(z.enum(['new', 'regular', 'vip'])),
    }).strict(),
  }).strict()).max(200),
}).strict();
const rulesView = rulesBody.extend({ version: z.number().int(), defaultPolicyId: z.string() });

/** Rules are read at most this often per API process: a new version applies within seconds. */
export const SELECTION_CACHE_MS = 2_000;
const cache = new WeakMap<ApiContext, { at: number; rules: SelectionRules['rules'] }>();

/** The policy a case gets when its request names none, by the current rules. */
export async function choosePolicyFor(ctx: ApiContext, facts: SelectionFacts): Promise<Selection> {
  let cached = cache.get(ctx);
  if (!cached || Date.now() - cached.at > SELECTION_CACHE_MS) {
    const record = await readDocument<SelectionRules>(ctx, 'policy-selection', SELECTION_ID);
    cached = { at: Date.now(), rules: record?.content.rules ?? [] };
    cache.set(ctx, cached);
  }
  return selectPolicyId(cached.rules, facts);
}

export const policySelectionRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get('/v1/policy-selection', {
    schema: { tags: ['policies'], summary: 'Rules that pick a policy when a request names none', response: { 200: rulesView, ...problemResponses(401, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const record = await readDocument<SelectionRules>(ctx, 'policy-selection', SELECTION_ID);
    return { rules: (record?.content.rules ?? []) as z.infer<typeof rulesBody>['rules'], version: record?.version ?? 0, defaultPolicyId: DEFAULT_POLICY_ID };
  });

  app.put('/v1/policy-selection', {
    schema: {
      tags: ['policies'], summary: 'Publish new selection rules (admin); first match wins',
      headers: idempotencyHeaders, body: rulesBody,
      response: { 200: rulesView, 201: rulesView, ...problemResponses(400, 401, 403, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    requireRole(key, ['admin'], 'publish policy-selection rules');
    const requestFingerprint = fingerprint(request.body);
    const updateId = updateIdFor(key.id, 'PUT /v1/policy-selection', request.headers['idempotency-key']);
    const result = await publishDocumentVersion(ctx, 'policy-selection', SELECTION_ID, { content: request.body, publishedBy: key.id, fingerprint: requestFingerprint }, updateId);
    if (result.fingerprint !== requestFingerprint) throw keyReused('policy-selection rules');
    if (result.created) reply.code(201);
    cache.delete(ctx);
    return { ...(result.record.content as z.infer<typeof rulesBody>), version: result.record.version, defaultPolicyId: DEFAULT_POLICY_ID };
  });
};
