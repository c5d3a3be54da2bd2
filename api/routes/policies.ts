/**
 * `/v1/policies`: presets and versioned custom policies. Any key may read; only `admin` may PUT. A PUT
 * merges the document over its `extends` parent, validates the complete result, and publishes it to the
 * policy's registry workflow (identical content → 200 with the existing version, new content → 201).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RULE_FAILURES } from '../../workflows/domain/failures';
import { POLICY_PRESETS, isPresetId } from '../../workflows/domain/policy/presets';
import { mergePolicyDocument, resolvePolicy, type PolicyDocument, type PolicyVersionRecord } from '../../workflows/domain/policy/resolve';
import type { Policy } from '../../workflows/domain/policy/types';
import { policyProblems } from '../../workflows/domain/policy/validate';
import { timeZoneOf } from '../../workflows/domain/schedule';
import { requireRole } from '../auth';
import { withPinnedCalendars } from '../calendar-store';
import { callerKey, type ApiContext } from '../context';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { listCustomPolicies, listPolicyVersions, publishPolicyVersion, registryPolicySource } from '../policy-store';
import { Problem, problemFromRuleFailure } from '../problems';
import { isoInZone } from '../render';
import {
  policyDocumentSchema, policyIdParams, policyListSchema, policyVersionParams, policyVersionViewSchema, policyVersionsSchema,
} from '../schemas/policy';
import { problemResponses } from '../schemas/shared';

type PolicyVersionView = z.infer<typeof policyVersionViewSchema>;
/** Policy is a closed interface; the response schema is an open record of the same fields. */
const asOpenPolicy = (policy: Policy): PolicyVersionView['policy'] => policy as unknown as PolicyVersionView['policy'];

function presetView(policy: Policy): PolicyVersionView {
  return { id: policy.id, version: policy.version, preset: true, publishedAt: null, policy: asOpenPolicy(policy) };
}

function storedView(record: PolicyVersionRecord): PolicyVersionView {
  return {
    id: record.policy.id, version: record.version, preset: false,
    publishedAt: isoInZone(record.publishedAt, timeZoneOf(record.policy)), policy: asOpenPolicy(record.policy), document: { ...record.document },
  };
}

const notFound = (id: string, version?: number) =>
  new Problem(404, 'not-found', version === undefined ? `No policy ${id}` : `No version ${version} of policy ${id}`);

export const policyRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const stored = registryPolicySource(ctx);

  app.get('/v1/policies', {
    schema: { tags: ['policies'], summary: 'Presets and custom policies', response: { 200: policyListSchema, ...problemResponses(401, 429, 503) } },
  }, async () => {
    const presets = Object.values(POLICY_PRESETS).map((p) => ({ id: p.id, name: p.name, latestVersion: p.version, preset: true }));
    const custom = (await listCustomPolicies(ctx)).map((p) => ({ ...p, preset: false }));
    return { policies: [...presets, ...custom] };
  });

  app.get('/v1/policies/:id', {
    schema: { tags: ['policies'], summary: 'Latest version of a policy', params: policyIdParams, response: { 200: policyVersionViewSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    const { id } = request.params;
    if (isPresetId(id)) return presetView(POLICY_PRESETS[id]);
    const record = await stored(id);
    if (!record) throw notFound(id);
    return storedView(record);
  });

  app.get('/v1/policies/:id/versions', {
    schema: { tags: ['policies'], summary: 'Every version of a policy', params: policyIdParams, response: { 200: policyVersionsSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    const { id } = request.params;
    if (isPresetId(id)) return { id, versions: [{ version: POLICY_PRESETS[id].version, publishedAt: null, name: POLICY_PRESETS[id].name }] };
    const versions = await listPolicyVersions(ctx, id);
    if (!versions || versions.length === 0) throw notFound(id);
    const latest = await stored(id);
    const zone = latest ? timeZoneOf(latest.policy) : 'UTC';
    return { id, versions: versions.map((v) => ({ ...v, publishedAt: isoInZone(v.publishedAt, zone) })) };
  });

  app.get('/v1/policies/:id/versions/:v', {
    schema: { tags: ['policies'], summary: 'One version of a policy', params: policyVersionParams, response: { 200: policyVersionViewSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    const { id, v } = request.params;
    if (isPresetId(id)) {
      const preset = POLICY_PRESETS[id];
      if (preset.version !== v) throw notFound(id, v);
      return presetView(preset);
    }
    const record = await stored(id, v);
    if (!record) throw notFound(id, v);
    return storedView(record);
  });

  app.put('/v1/policies/:id', {
    schema: {
      tags: ['policies'],
      summary: 'Publish a new version of a custom policy (admin)',
      description: 'Identical content publishes nothing (200 with the existing version); new content → 201. A preset id → 409.',
      params: policyIdParams,
      headers: idempotencyHeaders,
      body: policyDocumentSchema,
      response: { 200: policyVersionViewSchema, 201: policyVersionViewSchema, ...problemResponses(400, 401, 403, 409, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const { id } = request.params;
    const document = request.body as PolicyDocument;
    requireRole(key, ['admin'], 'publish policies');
    if (isPresetId(id)) throw new Problem(409, 'conflict', `${id} is a preset and read-only; publish a custom policy that extends it`);
    if (document.extends === id) throw new Problem(400, 'invalid-request', 'A policy cannot extend itself');

    let parent: Policy | null = null;
    if (document.extends !== undefined) {
      parent = await resolvePolicy(document.extends, undefined, stored);
      if (!parent) {
        throw problemFromRuleFailure(RULE_FAILURES.notEligible, `extends names an unknown policy ${document.extends}`, { rule: 'unknown-policy', policyId: document.extends })!;
      }
    }
    // Custom calendars are embedded at their latest version: the new policy version pins them.
    const policy = await withPinnedCalendars(ctx, mergePolicyDocument(id, document, parent));
    const problems = policyProblems(policy);
    if (problems.length > 0) throw new Problem(400, 'invalid-request', `Invalid policy: ${problems.join('; ')}`, { problems });

    const requestFingerprint = fingerprint(request.body);
    const updateId = updateIdFor(key.id, `PUT /v1/policies/${id}`, request.headers['idempotency-key']);
    const result = await publishPolicyVersion(ctx, id, { policy, document, publishedBy: key.id, fingerprint: requestFingerprint }, updateId);
    if (result.fingerprint !== requestFingerprint) throw keyReused('policy');
    if (result.created) reply.code(201).header('location', `/v1/policies/${id}/versions/${result.record.version}`);
    return storedView(result.record);
  });
};
