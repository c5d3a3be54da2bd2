/**
 * `GET /v1/cases`: one list across case kinds for agents, supervisors and arbiters (merchant keys see
 * only their merchants), newest first, each case's times in its own calendar's zone. From the case
 * projection when there is one (no worker needed; it lags the cases by the time an event hand-off takes),
 * else from Temporal visibility: filters map to search attributes, never to personal data.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_KINDS, ROLES } from '../../workflows/domain/case';
import { kindOfCaseId } from '../../workflows/domain/case-ids';
import {
  CaseOutcome, CasePriority, CaseStatus, EscalationLevel, MerchantId, NextDeadline, OrderId, OwnerRole, PolicyId, SlaBreached,
} from '../../workflows/search-attributes';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { Problem, projectionUnavailable } from '../problems';
import { pageTokens } from '../page-tokens';
import { problemResponses, referenceIdSchema } from '../schemas/shared';
import { isoInZone } from '../render';

const keyword = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : -');

const listQuery = z.object({
  kind: z.enum(CASE_KINDS).optional(),
  status: keyword.optional(),
  merchantId: referenceIdSchema.optional(),
  orderId: referenceIdSchema.optional(),
  breached: z.enum(['true', 'false']).optional(),
  escalationLevel: z.coerce.number().int().min(1).max(4).optional(),
  ownerRole: z.enum([...ROLES, 'system']).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  pageToken: z.string().max(4096).regex(/^[A-Za-z0-9_.-]*$/, 'an opaque token from a previous page').optional(),
}).strict();

const caseSummary = z.object({
  id: z.string(), kind: z.enum(CASE_KINDS), status: z.string().nullable(), outcome: z.string().nullable(), merchantId: z.string().nullable(),
  orderId: z.string().nullable(), policyId: z.string().nullable(), priority: z.string().nullable(), escalationLevel: z.number().nullable(),
  slaBreached: z.boolean().nullable(), ownerRole: z.string().nullable(), nextDeadline: z.string().nullable(), startedAt: z.string(), running: z.boolean(),
  timeZone: z.string().describe('The case calendar\'s zone, in which its times are rendered'),
});
const listAnswer = z.object({ cases: z.array(caseSummary), nextPageToken: z.string().nullable() });

/** Values reach the query only after the schema above: no quotes, no operators. */
function visibilityQuery(q: z.infer<typeof listQuery>, merchants: string[] | '*'): string {
  const clauses = [q.kind ? `CaseKind = '${q.kind}'` : `CaseKind IN (${CASE_KINDS.map((k) => `'${k}'`).join(', ')})`];
  if (q.status) clauses.push(`CaseStatus = '${q.status}'`);
  if (q.merchantId) clauses.push(`MerchantId = '${q.merchantId}'`);
  else if (merchants !== '*') clauses.push(`MerchantId IN (${merchants.map((m) => `'${m}'`).join(', ')})`);
  if (q.orderId) clauses.push(`OrderId = '${q.orderId}'`);
  if (q.breached) clauses.push(`SlaBreached = ${q.breached}`);
  if (q.escalationLevel) clauses.push(`EscalationLevel = ${q.escalationLevel}`);
  if (q.ownerRole) clauses.push(`OwnerRole = '${q.ownerRole}'`);
  return clauses.join(' AND ');
}

/** The projection's cursor inside a sealed page token (a token of the visibility path, sealed alike, is a 400 here). */
function listCursorOf(raw: Buffer): { openedAt: number; caseId: string } {
  let cursor: unknown;
  try {
    cursor = JSON.parse(raw.toString('utf8'));
  } catch {
    cursor = null;
  }
  const { openedAt, caseId } = (cursor ?? {}) as { openedAt?: unknown; caseId?: unknown };
  if (typeof openedAt !== 'number' || typeof caseId !== 'string') throw new Problem(400, 'invalid-request', 'pageToken is not a token from a previous page');
  return { openedAt, caseId };
}

export const caseListRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const tokens = pageTokens('cs-cases page tokens');
  app.get('/v1/cases', {
    schema: {
      tags: ['supervision'], summary: 'Cases across kinds, filtered by search attributes (agent, supervisor, arbiter; merchant keys their own)',
      querystring: listQuery, response: { 200: listAnswer, ...problemResponses(400, 401, 403, 429, 503) },
    },
  }, async (request) => {
    const key = callerKey(request);
    requireRole(key, ['agent', 'supervisor', 'arbiter', 'merchant'], 'list cases');
    const q = request.query;
    if (q.merchantId && key.merchants !== '*' && !key.merchants.includes(q.merchantId)) {
      throw new Problem(403, 'forbidden', `Key ${key.id} may not list merchant ${q.merchantId}`);
    }
    if (ctx.projection) {
      const after = tokens.open(q.pageToken);
      const page = await ctx.projection.list({
        ...(q.kind ? { kind: q.kind } : {}), ...(q.status ? { status: q.status } : {}), ...(q.merchantId ? { merchantId: q.merchantId } : {}),
        merchants: key.merchants, ...(q.orderId ? { orderId: q.orderId } : {}), ...(q.breached ? { breached: q.breached === 'true' } : {}),
        ...(q.escalationLevel ? { escalationLevel: q.escalationLevel } : {}), ...(q.ownerRole ? { ownerRole: q.ownerRole } : {}),
      }, q.pageSize, after ? listCursorOf(after) : undefined).catch(() => {
        throw projectionUnavailable();
      });
      return {
        cases: page.items.map((c) => ({
          id: c.caseId, kind: c.kind, status: c.status, outcome: c.outcome, merchantId: c.merchantId, orderId: c.orderId, policyId: c.policyId,
          priority: c.priority, escalationLevel: c.escalationLevel, slaBreached: c.slaBreached, ownerRole: c.ownerRole,
          nextDeadline: c.nextDeadline === null ? null : isoInZone(c.nextDeadline, c.timeZone),
          startedAt: isoInZone(c.openedAt, c.timeZone), running: !c.finished, timeZone: c.timeZone,
        })),
        nextPageToken: page.next ? tokens.seal(Buffer.from(JSON.stringify(page.next))) : null,
      };
    }
    const nextPageToken = tokens.open(q.pageToken);
    const page = await ctx.temporal(() => ctx.client.workflowService.listWorkflowExecutions({
      namespace: ctx.namespace,
      query: visibilityQuery(q, key.merchants),
      pageSize: q.pageSize,
      ...(nextPageToken ? { nextPageToken } : {}),
    }));
    const cases = (page.executions ?? []).flatMap((execution) => {
      const id = execution.execution?.workflowId ?? '';
      const kind = kindOfCaseId(id);
      if (!kind) return [];
      const attrs = execution.searchAttributes?.indexedFields ?? {};
      const read = (name: string): unknown => {
        const payload = attrs[name];
        return payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : null;
      };
      const next = read(NextDeadline.name) as string | null;
      const started = Number(execution.startTime?.seconds ?? 0) * 1000;
      return [{
        id, kind,
        status: read(CaseStatus.name) as string | null, outcome: read(CaseOutcome.name) as string | null,
        merchantId: read(MerchantId.name) as string | null, orderId: read(OrderId.name) as string | null, policyId: read(PolicyId.name) as string | null,
        priority: read(CasePriority.name) as string | null, escalationLevel: read(EscalationLevel.name) as number | null,
        slaBreached: read(SlaBreached.name) as boolean | null, ownerRole: read(OwnerRole.name) as string | null,
        nextDeadline: next ? isoInZone(Date.parse(next), 'Asia/Shanghai') : null,
        startedAt: isoInZone(started, 'Asia/Shanghai'),
        running: Number(execution.status) === 1,
        timeZone: 'Asia/Shanghai',
      }];
    });
    const token = tokens.seal(page.nextPageToken);
    return { cases, nextPageToken: token };
  });
};
