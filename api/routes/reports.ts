/**
 * `GET /v1/reports/service-levels?merchantId=&from=&to=`: the KPIs of docs/domain-rules.md per merchant for cases
 * opened in [from, to) (instants, or days in each case calendar's zone). With the case projection: exact over
 * any period, running and closed cases alike, from each case's projected facts (and its decided survey).
 * Without it (an API given no projection): from visibility and finished cases' results, at most
 * REPORT_CASE_LIMIT cases (`truncated: true` beyond). Supervisors and admins see every merchant; merchant keys their own.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TypedSearchAttributes } from '@temporalio/common';
import { inMerchantScope } from '../../workflows/domain/case';
import { CaseKind, CaseOutcome, CaseStatus, EscalationLevel, MerchantId } from '../../workflows/search-attributes';
import { serviceLevelsByMerchant, serviceLevelsByMerchantOfFacts, type CaseSnapshot } from '../../workflows/domain/kpi/service-levels';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { Problem, projectionUnavailable } from '../problems';
import { listExecutions } from '../visibility';
import { mapLimited, satisfactionOf } from '../satisfaction';
import { isoInstantSchema, problemResponses, referenceIdSchema } from '../schemas/shared';

/** Cases read per report; a larger period answers `truncated: true` (narrow the period or the merchant). */
export const REPORT_CASE_LIMIT = 500;
const DAY = 86_400_000;

const localDay = z.iso.date({ error: 'must be an instant with offset or a day, e.g. 2026-11-01' });
const querySchema = z.object({
  merchantId: referenceIdSchema.optional(),
  from: z.union([isoInstantSchema, localDay]).optional()
    .describe('Start of the period (cases opened from then): an instant, or a day counted in each case calendar\'s zone; default 30 days before `to`'),
  to: z.union([isoInstantSchema, localDay]).optional().describe('End of the period (exclusive), an instant or a day like `from`; default now'),
}).strict();
const isDay = (value: string | undefined): value is string => value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value);

const stats = z.object({ count: z.number(), medianSeconds: z.number().nullable(), p90Seconds: z.number().nullable() });
const merchantReport = z.object({
  merchantId: z.string(), cases: z.number(), byKind: z.record(z.string(), z.number()), closed: z.number(),
  firstResponse: stats, resolution: stats, slaCompliance: z.number().nullable(),
  csat: z.object({ average: z.number().nullable(), surveys: z.number(), responses: z.number(), responseRate: z.number().nullable() }),
  refundRate: z.number().nullable(), escalationRate: z.number().nullable(), reopenRate: z.number().nullable(),
  autoOutcomeShare: z.number().nullable(), complaintsByCategory: z.record(z.string(), z.number()),
});
const reportSchema = z.object({ from: z.string(), to: z.string(), truncated: z.boolean(), merchants: z.array(merchantReport) });

function snapshotOf(view: Record<string, unknown> | null): CaseSnapshot | null {
  if (!view || typeof view.id !== 'string' || typeof view.kind !== 'string' || typeof view.merchantId !== 'string') return null;
  return {
    id: view.id,
    kind: view.kind as CaseSnapshot['kind'],
    merchantId: view.merchantId,
    status: String(view.status),
    outcome: (view.outcome as string | null) ?? null,
    createdAt: Number(view.createdAt),
    escalationLevel: Number(view.escalationLevel ?? 1),
    timeline: (view.timeline as CaseSnapshot['timeline']) ?? [],
    deadlines: (view.deadlines as CaseSnapshot['deadlines']) ?? [],
    ...(typeof view.category === 'string' ? { category: view.category } : {}),
  };
}

function openSnapshot(id: string, attributes: TypedSearchAttributes, startTime: Date): CaseSnapshot | null {
  const kind = attributes.get(CaseKind);
  const merchantId = attributes.get(MerchantId);
  if (!kind || !merchantId) return null;
  return {
    id, kind: kind as CaseSnapshot['kind'], merchantId, status: attributes.get(CaseStatus) ?? 'open', outcome: attributes.get(CaseOutcome) ?? null,
    createdAt: startTime.getTime(), escalationLevel: attributes.get(EscalationLevel) ?? 1, timeline: [], deadlines: [],
  };
}

export const reportRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get('/v1/reports/service-levels', {
    schema: {
      tags: ['supervision'], summary: 'Service-level KPIs per merchant (supervisor, admin; merchant keys their own)',
      querystring: querySchema, response: { 200: reportSchema, ...problemResponses(400, 401, 403, 429, 503) },
    },
  }, async (request) => {
    const key = callerKey(request);
    requireRole(key, ['supervisor', 'admin', 'merchant'], 'read service-level reports');
    const q = request.query;
    const { merchantId } = q;
    if (merchantId && !inMerchantScope(key.merchants, merchantId)) throw new Problem(403, 'forbidden', `Key ${key.id} may not read merchant ${merchantId}`);
    const scope = merchantId ? [merchantId] : key.merchants === '*' ? null : key.merchants;
    if (ctx.projection) {
      // Exact at any size: every case opened in the period, running or closed, from its projected facts.
      if (isDay(q.from) !== isDay(q.to) && q.from !== undefined && q.to !== undefined) {
        throw new Problem(400, 'invalid-request', '`from` and `to` must both be days or both be instants');
      }
      const days = isDay(q.from) || isDay(q.to);
      const to = days ? undefined : q.to ? Date.parse(q.to) : ctx.now();
      const from = days ? undefined : q.from ? Date.parse(q.from) : to! - 30 * DAY;
      if (days && !(q.from && q.to)) throw new Problem(400, 'invalid-request', 'A period of days needs both `from` and `to`');
      if (days ? !(q.from! < q.to!) : !(from! < to!)) throw new Problem(400, 'invalid-request', '`from` must lie before `to`');
      const facts = await ctx.projection.factsIn({
        ...(days ? { fromDay: q.from!, toDay: q.to! } : { from: from!, to: to! }), merchants: scope ?? '*',
      }).catch(() => {
        throw projectionUnavailable();
      });
      return {
        from: days ? q.from! : new Date(from!).toISOString(), to: days ? q.to! : new Date(to!).toISOString(), truncated: false,
        merchants: serviceLevelsByMerchantOfFacts(facts),
      };
    }
    if (isDay(q.from) || isDay(q.to)) throw new Problem(400, 'invalid-request', 'Periods of days need the case projection; give instants');
    const to = q.to ? Date.parse(q.to) : ctx.now();
    const from = q.from ? Date.parse(q.from) : to - 30 * DAY;
    if (!(from < to)) throw new Problem(400, 'invalid-request', '`from` must lie before `to`');
    const merchantFilter = scope ? ` AND MerchantId IN (${scope.map((m) => `'${m}'`).join(', ')})` : '';
    const query = `CaseKind IN ('after_sale', 'complaint', 'inquiry', 'order_issue') AND StartTime >= '${new Date(from).toISOString()}' AND StartTime < '${new Date(to).toISOString()}'${merchantFilter}`;

    const snapshots: CaseSnapshot[] = [];
    let truncated = false;
    await ctx.temporal(async () => {
      for await (const execution of listExecutions(ctx, query)) {
        if (snapshots.length >= REPORT_CASE_LIMIT) {
          truncated = true;
          break;
        }
        // A finished case's record is its result, read from history; an open case counts from its search
        // attributes, so a report never waits on workers or replays open cases.
        const snapshot = execution.status === 'COMPLETED'
          ? snapshotOf(await ctx.client.workflow.getHandle(execution.workflowId).result().catch(() => null) as Record<string, unknown>)
          : execution.status === 'RUNNING' ? openSnapshot(execution.workflowId, execution.searchAttributes, execution.startTime) : null;
        if (snapshot) snapshots.push(snapshot);
      }
    });
    // CSAT counts decided surveys only (answered, or expired without an answer): a survey still waiting for
    // its customer would lower the response rate of a period that has not finished answering.
    const surveys = await mapLimited(snapshots, 8, (c) => (c.status === 'closed' ? satisfactionOf(ctx, c.id) : Promise.resolve(null)));
    const surveyed = snapshots.map((c, i) => {
      const survey = surveys[i];
      return survey && (survey.status === 'answered' || survey.status === 'expired') ? { ...c, satisfaction: { score: survey.score } } : c;
    });
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), truncated, merchants: serviceLevelsByMerchant(surveyed) };
  });
};
