/**
 * Case metrics through the Temporal SDK's own meter: a pure mapping from a batch of timeline entries (and
 * webhook attempts) to metric increments, and the function that adds them on the running activity's
 * `metricMeter`. Activities never run on replay, so a replayed case counts nothing; a retried activity may
 * count its batch again. Labels are bounded words only (kind, deadline name, outcome, level, result); the
 * merchant id is a label only when `merchantLabel` is on. Case, order and customer ids never are.
 */
import { Context } from '@temporalio/activity';
import type { MetricMeter, MetricTags } from '@temporalio/common';
import type { TimelineEntry } from '../workflows/domain/case';

export interface CaseMetricsOptions {
  /** Adds `merchant` (the case's merchant id) to every case metric, splitting each series per merchant. Off by default. */
  merchantLabel?: boolean;
}

/** Every case metric: its name as the SDK's Prometheus exporter renders it (counters get no `_total`). */
export const CASE_METRICS = {
  opened: { name: 'cs_cases_opened', type: 'counter', unit: 'cases', help: 'Cases opened, by kind' },
  closed: { name: 'cs_cases_closed', type: 'counter', unit: 'cases', help: 'Cases closed, by kind and outcome' },
  defaultOutcomes: { name: 'cs_cases_default_outcomes', type: 'counter', unit: 'outcomes', help: 'Default outcomes the system applied on silence, by kind, deadline and outcome' },
  warnings: { name: 'cs_cases_deadline_warnings', type: 'counter', unit: 'warnings', help: 'Pre-breach warnings, by kind and deadline' },
  breaches: { name: 'cs_cases_deadline_breaches', type: 'counter', unit: 'breaches', help: 'Deadlines that passed without their actor acting, by kind and deadline' },
  timerLateness: { name: 'cs_cases_timer_lateness', type: 'histogram', unit: 'ms', help: "How late a breached deadline's default action ran after its due time (ms), by kind and deadline" },
  escalations: { name: 'cs_cases_escalations', type: 'counter', unit: 'escalations', help: 'Escalations, by kind and the level reached (L2..L4)' },
  refunds: { name: 'cs_cases_refunds', type: 'counter', unit: 'refunds', help: 'Refunds that ended, by kind and result (succeeded, failed)' },
  surveys: { name: 'cs_cases_surveys', type: 'counter', unit: 'surveys', help: 'Satisfaction surveys that ended, by kind and result (score, no_response)' },
  surveyScore: { name: 'cs_cases_survey_score', type: 'histogram', unit: '', help: 'Satisfaction survey scores (1-5), by kind' },
  webhookDeliveries: { name: 'cs_cases_webhook_deliveries', type: 'counter', unit: 'attempts', help: 'Webhook delivery attempts of case events, by kind and result (delivered, failed)' },
  projectionLag: { name: 'cs_cases_projection_lag', type: 'histogram', unit: 'ms', help: 'From a case change to its row in the read projection (ms), by kind' },
} as const;

export type CaseMetric = keyof typeof CASE_METRICS;

export interface MetricIncrement {
  metric: CaseMetric;
  labels: Record<string, string>;
  /** 1 for counters; the observed value for histograms. */
  value: number;
}

/** Survey score buckets and timer lateness buckets (ms) the bundled worker's exporter uses. */
export const CASE_METRIC_BUCKETS: Record<string, number[]> = {
  [CASE_METRICS.surveyScore.name]: [1, 2, 3, 4, 5],
  [CASE_METRICS.timerLateness.name]: [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 3_600_000],
  [CASE_METRICS.projectionLag.name]: [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 30_000, 300_000],
};

const WORD = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

/** A label value from data the case recorded: a short word, or `other` (never free text or an id). */
export function boundedWord(value: unknown): string {
  return typeof value === 'string' && WORD.test(value) ? value : 'other';
}

/** `L2`..`L4` from an escalation entry: `{to: 'L3'}`, or the older `{escalationLevel: 3}`. */
function levelOf(data: Record<string, unknown>): string {
  if (typeof data.to === 'string' && /^L[1-4]$/.test(data.to)) return data.to;
  if (typeof data.escalationLevel === 'number' && [1, 2, 3, 4].includes(data.escalationLevel)) return `L${data.escalationLevel}`;
  return 'other';
}

export interface MetricBatch {
  kind: string;
  merchantId: string;
  entries: TimelineEntry[];
}

/** What a batch of timeline entries (a case's or its survey's) adds to the case metrics. Pure. */
export function caseMetricIncrements(batch: MetricBatch, options: CaseMetricsOptions = {}): MetricIncrement[] {
  const base: Record<string, string> = { kind: boundedWord(batch.kind), ...(options.merchantLabel ? { merchant: batch.merchantId } : {}) };
  const out: MetricIncrement[] = [];
  const count = (metric: CaseMetric, labels: Record<string, string> = {}) => out.push({ metric, labels: { ...base, ...labels }, value: 1 });
  for (const entry of batch.entries) {
    const data = entry.data ?? {};
    switch (entry.type) {
      case 'case.created': count('opened'); break;
      case 'case.closed': count('closed', { outcome: boundedWord(data.outcome) }); break;
      // Order issues name the remedy their silence chose instead of an outcome.
      case 'case.default_outcome': count('defaultOutcomes', { deadline: boundedWord(data.deadline), outcome: boundedWord(data.outcome ?? data.remedy) }); break;
      case 'deadline.warned': count('warnings', { deadline: boundedWord(data.name) }); break;
      case 'deadline.breached': {
        const deadline = boundedWord(data.name);
        count('breaches', { deadline });
        // The breach entry is written when the loop woke for it: its time minus the due time it carries.
        if (typeof data.dueAt === 'number') out.push({ metric: 'timerLateness', labels: { ...base, deadline }, value: Math.max(0, entry.at - data.dueAt) });
        break;
      }
      case 'case.escalated': count('escalations', { level: levelOf(data) }); break;
      case 'refund.succeeded': count('refunds', { result: 'succeeded' }); break;
      case 'refund.failed': count('refunds', { result: 'failed' }); break;
      case 'survey.recorded': {
        const scored = data.result === 'score' && typeof data.score === 'number';
        count('surveys', { result: scored ? 'score' : 'no_response' });
        if (scored) out.push({ metric: 'surveyScore', labels: base, value: data.score as number });
        break;
      }
      default: break;
    }
  }
  return out;
}

/** One webhook delivery attempt of a case event. Pure. */
export function webhookAttemptIncrement(event: { kind: string; merchantId: string }, delivered: boolean, options: CaseMetricsOptions = {}): MetricIncrement {
  return {
    metric: 'webhookDeliveries',
    labels: { kind: event.kind ? boundedWord(event.kind) : 'none', ...(options.merchantLabel ? { merchant: event.merchantId } : {}), result: delivered ? 'delivered' : 'failed' },
    value: 1,
  };
}

/**
 * Adds the increments on `meter` (by default the running activity's, which the host's Runtime exports). A metric
 * never fails the activity that counts it: an error here is logged and the increments are dropped.
 */
export function emitCaseMetrics(increments: readonly MetricIncrement[], meter?: MetricMeter): void {
  if (increments.length === 0) return;
  try {
    const target = meter ?? Context.current().metricMeter;
    for (const { metric, labels, value } of increments) {
      const def = CASE_METRICS[metric];
      const tags = labels as MetricTags;
      if (def.type === 'counter') target.createCounter(def.name, def.unit, def.help).add(value, tags);
      else target.createHistogram(def.name, 'int', def.unit, def.help).record(Math.round(value), tags);
    }
  } catch (err) {
    logMetricsFailure(err);
  }
}

function logMetricsFailure(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  try {
    Context.current().log.warn('Case metrics not recorded', { error: message });
  } catch {
    // Outside an activity there is no activity logger: the increments are simply dropped.
  }
}

/** The case-event activities' one call: count a batch of timeline entries. */
export function countCaseEvents(batch: MetricBatch, options?: CaseMetricsOptions): void {
  emitCaseMetrics(caseMetricIncrements(batch, options));
}

/** How long after the case's latest change its projection row was written (the hand-off activity, after writing it). */
export function recordProjectionLag(kind: string, changedAt: number, now: number, options: CaseMetricsOptions = {}, merchantId = ''): void {
  emitCaseMetrics([{
    metric: 'projectionLag', labels: { kind: boundedWord(kind), ...(options.merchantLabel ? { merchant: merchantId } : {}) }, value: Math.max(0, now - changedAt),
  }]);
}

/** The webhook delivery activity's one call: counts the attempt `delivery` is as delivered or failed, and passes its result on. */
export async function countWebhookAttempt<T>(event: { kind: string; merchantId: string }, delivery: Promise<T>, options?: CaseMetricsOptions): Promise<T> {
  try {
    const result = await delivery;
    emitCaseMetrics([webhookAttemptIncrement(event, true, options)]);
    return result;
  } catch (err) {
    emitCaseMetrics([webhookAttemptIncrement(event, false, options)]);
    throw err;
  }
}
