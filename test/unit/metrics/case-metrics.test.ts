// What each timeline entry adds to the case metrics (activities/case-metrics.ts), written out by hand: one
// row per entry type the metrics read, the bounded labels they get, and what they never carry.
import { describe, expect, it } from 'vitest';
import { boundedWord, caseMetricIncrements, emitCaseMetrics, webhookAttemptIncrement } from '../../../activities/case-metrics';
import type { TimelineEntry } from '../../../workflows/domain/case';
import { caseMetricsFrom } from '../../../worker/config';

const T = Date.parse('2026-11-27T10:00:00Z');
const entry = (type: string, data?: Record<string, unknown>, at = T): TimelineEntry => ({ at, type, actor: 'system', ...(data ? { data } : {}) });
const one = (e: TimelineEntry, kind = 'after_sale') => caseMetricIncrements({ kind, merchantId: 'm-a', entries: [e] });

describe('case metric increments per timeline entry', () => {
  it.each([
    ['case.created', { type: 'return_and_refund', reason: 'quality' }, 'after_sale', [{ metric: 'opened', labels: { kind: 'after_sale' }, value: 1 }]],
    ['case.closed', { outcome: 'refunded' }, 'after_sale', [{ metric: 'closed', labels: { kind: 'after_sale', outcome: 'refunded' }, value: 1 }]],
    ['case.closed', { outcome: 'no_response' }, 'inquiry', [{ metric: 'closed', labels: { kind: 'inquiry', outcome: 'no_response' }, value: 1 }]],
    ['case.default_outcome', { deadline: 'merchantResponse', outcome: 'approved' }, 'after_sale',
      [{ metric: 'defaultOutcomes', labels: { kind: 'after_sale', deadline: 'merchantResponse', outcome: 'approved' }, value: 1 }]],
    // Order issues record the remedy their silence chose.
    ['case.default_outcome', { deadline: 'merchantAnswer', remedy: 'cancel' }, 'order_issue',
      [{ metric: 'defaultOutcomes', labels: { kind: 'order_issue', deadline: 'merchantAnswer', outcome: 'cancel' }, value: 1 }]],
    ['deadline.warned', { name: 'firstResponse', dueAt: T + 5_000, actor: 'agent' }, 'complaint',
      [{ metric: 'warnings', labels: { kind: 'complaint', deadline: 'firstResponse' }, value: 1 }]],
    ['case.escalated', { from: 'L1', to: 'L2', reason: 'breach' }, 'complaint', [{ metric: 'escalations', labels: { kind: 'complaint', level: 'L2' }, value: 1 }]],
    // After-sales started before owner notices record only the level reached.
    ['case.escalated', { deadline: 'refundApproval', escalationLevel: 3 }, 'after_sale', [{ metric: 'escalations', labels: { kind: 'after_sale', level: 'L3' }, value: 1 }]],
    ['refund.succeeded', { refundId: 'as_1:refund:1', amount: { amount: 20_900, currency: 'CNY' } }, 'after_sale',
      [{ metric: 'refunds', labels: { kind: 'after_sale', result: 'succeeded' }, value: 1 }]],
    ['refund.failed', { refundId: 'as_1:refund:1', reason: 'card closed' }, 'after_sale', [{ metric: 'refunds', labels: { kind: 'after_sale', result: 'failed' }, value: 1 }]],
    ['survey.recorded', { surveyId: 'cp_1:survey', result: 'score', score: 2 }, 'complaint', [
      { metric: 'surveys', labels: { kind: 'complaint', result: 'score' }, value: 1 },
      { metric: 'surveyScore', labels: { kind: 'complaint' }, value: 2 },
    ]],
    ['survey.recorded', { surveyId: 'iq_1:survey', result: 'no_response' }, 'inquiry', [{ metric: 'surveys', labels: { kind: 'inquiry', result: 'no_response' }, value: 1 }]],
  ])('%s %j on a %s', (type, data, kind, expected) => {
    expect(one(entry(type, data), kind)).toEqual(expected);
  });

  it('a breach counts once and observes how late it ran after the due time it carries', () => {
    const breach = entry('deadline.breached', { name: 'merchantResponse', dueAt: T - 1_250, onTimeout: 'auto_approve' });
    expect(one(breach)).toEqual([
      { metric: 'breaches', labels: { kind: 'after_sale', deadline: 'merchantResponse' }, value: 1 },
      { metric: 'timerLateness', labels: { kind: 'after_sale', deadline: 'merchantResponse' }, value: 1_250 },
    ]);
  });

  it('a breach written before its due time (a clock skew) is 0 late, never negative', () => {
    expect(one(entry('deadline.breached', { name: 'evidence', dueAt: T + 10 }))[1]).toEqual({ metric: 'timerLateness', labels: { kind: 'after_sale', deadline: 'evidence' }, value: 0 });
  });

  it('entries the metrics do not read add nothing', () => {
    for (const type of ['case.status_changed', 'refund.requested', 'deadline.extended', 'case.archived', 'survey.sent', 'case.linked']) {
      expect(one(entry(type, { from: 'a', to: 'b' }))).toEqual([]);
    }
  });

  it('a batch counts every entry in order: two cases of work in one hand-off', () => {
    const entries = [
      entry('case.created'), entry('deadline.breached', { name: 'merchantResponse', dueAt: T - 300 }), entry('case.default_outcome', { deadline: 'merchantResponse', outcome: 'approved' }),
      entry('refund.succeeded'), entry('case.closed', { outcome: 'refunded' }),
    ];
    expect(caseMetricIncrements({ kind: 'after_sale', merchantId: 'm-a', entries }).map((i) => i.metric))
      .toEqual(['opened', 'breaches', 'timerLateness', 'defaultOutcomes', 'refunds', 'closed']);
  });
});

describe('labels stay bounded', () => {
  it('free text, ids and non-strings become "other"', () => {
    expect(boundedWord('merchantResponse')).toBe('merchantResponse');
    expect(boundedWord('as_0a1b2c:refund:1')).toBe('other');
    expect(boundedWord('sole came off after two days')).toBe('other');
    expect(boundedWord(42)).toBe('other');
    expect(boundedWord(undefined)).toBe('other');
    expect(boundedWord('x'.repeat(49))).toBe('other');
    expect(one(entry('case.closed', { outcome: 'cust-7f3a@example.com' }))[0].labels).toEqual({ kind: 'after_sale', outcome: 'other' });
    expect(one(entry('case.escalated', { to: 'L9' }))[0].labels).toEqual({ kind: 'after_sale', level: 'other' });
  });

  it('the merchant is a label only when asked for', () => {
    const batch = { kind: 'complaint', merchantId: 'm-b', entries: [entry('case.created')] };
    expect(caseMetricIncrements(batch)[0].labels).toEqual({ kind: 'complaint' });
    expect(caseMetricIncrements(batch, { merchantLabel: true })[0].labels).toEqual({ kind: 'complaint', merchant: 'm-b' });
  });

  it('no increment of a rich batch carries a case, order or customer id', () => {
    const entries = [
      entry('case.created', { orderId: 'order-1234', customerRef: 'cust-7f3a' }), entry('refund.failed', { refundId: 'as_9:refund:1', reason: 'order-1234 refused' }),
      entry('case.closed', { outcome: 'refunded', caseId: 'as_9' }),
    ];
    const values = caseMetricIncrements({ kind: 'after_sale', merchantId: 'm-a', entries }).flatMap((i) => Object.values(i.labels));
    expect(values.sort()).toEqual(['after_sale', 'after_sale', 'after_sale', 'failed', 'refunded']);
  });
});

describe('webhook attempts', () => {
  it('count as delivered or failed by the event kind; a case.closed marker without kind is "none"', () => {
    expect(webhookAttemptIncrement({ kind: 'after_sale', merchantId: 'm-a' }, true)).toEqual({ metric: 'webhookDeliveries', labels: { kind: 'after_sale', result: 'delivered' }, value: 1 });
    expect(webhookAttemptIncrement({ kind: 'complaint', merchantId: 'm-a' }, false, { merchantLabel: true }))
      .toEqual({ metric: 'webhookDeliveries', labels: { kind: 'complaint', merchant: 'm-a', result: 'failed' }, value: 1 });
    expect(webhookAttemptIncrement({ kind: '', merchantId: 'm-a' }, true).labels.kind).toBe('none');
  });
});

describe('the bundled worker turns the merchant label on from its environment', () => {
  it('CASES_METRICS_MERCHANT_LABEL: true or 1 on, false, 0 or unset off, anything else refused', () => {
    expect(caseMetricsFrom({})).toEqual({});
    expect(caseMetricsFrom({ CASES_METRICS_MERCHANT_LABEL: 'false' })).toEqual({});
    expect(caseMetricsFrom({ CASES_METRICS_MERCHANT_LABEL: '0' })).toEqual({});
    expect(caseMetricsFrom({ CASES_METRICS_MERCHANT_LABEL: 'true' })).toEqual({ caseMetrics: { merchantLabel: true } });
    expect(caseMetricsFrom({ CASES_METRICS_MERCHANT_LABEL: ' TRUE ' })).toEqual({ caseMetrics: { merchantLabel: true } });
    expect(caseMetricsFrom({ CASES_METRICS_MERCHANT_LABEL: '1' })).toEqual({ caseMetrics: { merchantLabel: true } });
    expect(() => caseMetricsFrom({ CASES_METRICS_MERCHANT_LABEL: 'yes please' })).toThrow(/CASES_METRICS_MERCHANT_LABEL must be true or false/);
  });
});

describe('a metric never fails its activity', () => {
  it('counting outside an activity (no meter to count on) drops the increments and throws nothing', () => {
    expect(() => emitCaseMetrics(caseMetricIncrements({ kind: 'after_sale', merchantId: 'm-a', entries: [entry('case.created')] }))).not.toThrow();
  });
});
