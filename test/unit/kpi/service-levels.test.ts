/**
 * KPI arithmetic over hand-built case snapshots: every figure is computed here independently from the
 * numbers in the table, not by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { durationStats, serviceLevels, serviceLevelsByMerchant, type CaseSnapshot } from '../../../workflows/domain/kpi/service-levels';

const T = Date.parse('2026-11-01T09:00:00+08:00');
const s = (seconds: number) => T + seconds * 1000;

function snapshot(over: Partial<CaseSnapshot> & Pick<CaseSnapshot, 'id' | 'kind'>): CaseSnapshot {
  return { merchantId: 'm-a', status: 'closed', outcome: null, createdAt: T, escalationLevel: 1, timeline: [], deadlines: [], ...over };
}

const cases: CaseSnapshot[] = [
  snapshot({
    id: 'as_1', kind: 'after_sale', outcome: 'refunded',
    timeline: [
      { at: T, type: 'case.created', actor: 'channel' },
      { at: s(600), type: 'action.add-note', actor: 'channel' },
      { at: s(1200), type: 'action.approve', actor: 'merchant' },
      { at: s(3600), type: 'case.closed', actor: 'system' },
    ],
    deadlines: [{ name: 'merchantResponse', actor: 'merchant', state: 'met' }, { name: 'refundPayment', actor: 'system', state: 'met' }],
    satisfaction: { score: 5 },
  }),
  snapshot({
    id: 'as_2', kind: 'after_sale', outcome: 'expired',
    timeline: [
      { at: T, type: 'case.created', actor: 'channel' },
      { at: s(60), type: 'action.approve', actor: 'merchant' },
      { at: s(7200), type: 'case.default_outcome', actor: 'system' },
      { at: s(7200), type: 'case.closed', actor: 'system' },
    ],
    deadlines: [{ name: 'merchantResponse', actor: 'merchant', state: 'met' }, { name: 'buyerReturnShipment', actor: 'channel', state: 'breached' }],
    satisfaction: { score: null },
  }),
  snapshot({
    id: 'cp_1', kind: 'complaint', category: 'logistics', escalationLevel: 3, outcome: 'resolved',
    timeline: [
      { at: T, type: 'case.created', actor: 'channel' },
      { at: s(300), type: 'action.acknowledge', actor: 'agent' },
      { at: s(900), type: 'action.reopen', actor: 'channel' },
      { at: s(10_800), type: 'case.closed', actor: 'supervisor' },
    ],
    deadlines: [{ name: 'firstResponse', actor: 'agent', state: 'met' }, { name: 'resolution', actor: 'agent', state: 'breached' }, { name: 'x', actor: 'agent', state: 'cancelled' }],
    satisfaction: { score: 2 },
  }),
  snapshot({ id: 'cp_2', kind: 'complaint', category: 'logistics', status: 'in_progress', escalationLevel: 2, timeline: [{ at: T, type: 'case.created', actor: 'channel' }] }),
  snapshot({ id: 'cp_3', kind: 'complaint', merchantId: 'm-b', status: 'new', timeline: [{ at: T, type: 'case.created', actor: 'agent' }] }),
];

describe('durationStats', () => {
  it.each([
    [[], { count: 0, medianSeconds: null, p90Seconds: null }],
    [[5], { count: 1, medianSeconds: 5, p90Seconds: 5 }],
    [[4, 1, 3, 2], { count: 4, medianSeconds: 2, p90Seconds: 4 }],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { count: 10, medianSeconds: 5, p90Seconds: 9 }],
  ])('%j', (values, expected) => {
    expect(durationStats(values)).toEqual(expected);
  });
});

describe('serviceLevels', () => {
  const kpi = serviceLevels(cases);

  it('counts cases by kind and closed', () => {
    expect(kpi).toMatchObject({ cases: 5, byKind: { after_sale: 2, complaint: 3 }, closed: 3 });
  });
  it('first response = first action by the service side (merchant, agent, supervisor, arbiter)', () => {
    // as_1: 1200 s (the buyer's note does not count); as_2: 60 s; cp_1: 300 s.
    expect(kpi.firstResponse).toEqual({ count: 3, medianSeconds: 300, p90Seconds: 1200 });
  });
  it('resolution = creation to close, closed cases only', () => {
    expect(kpi.resolution).toEqual({ count: 3, medianSeconds: 7200, p90Seconds: 10_800 });
  });
  it('SLA compliance counts people\'s deadlines met or breached, not system or cancelled ones', () => {
    // met: as_1 merchantResponse, as_2 merchantResponse, cp_1 firstResponse; breached: buyerReturnShipment, resolution.
    expect(kpi.slaCompliance).toBe(0.6);
  });
  it('CSAT over answered surveys, response rate over sent ones', () => {
    expect(kpi.csat).toEqual({ average: 3.5, surveys: 3, responses: 2, responseRate: 0.6667 });
  });
  it('refund, escalation, reopen and auto-outcome rates', () => {
    expect(kpi.refundRate).toBe(0.5);
    expect(kpi.escalationRate).toBe(0.4);
    expect(kpi.reopenRate).toBe(1);
    expect(kpi.autoOutcomeShare).toBe(0.3333);
  });
  it('complaints by category', () => {
    expect(kpi.complaintsByCategory).toEqual({ logistics: 2, uncategorised: 1 });
  });
  it('no cases: rates are null, never NaN', () => {
    const empty = serviceLevels([]);
    expect(empty.slaCompliance).toBeNull();
    expect(empty.refundRate).toBeNull();
    expect(empty.csat.average).toBeNull();
  });
});

describe('per merchant', () => {
  it('splits by merchant in id order', () => {
    const report = serviceLevelsByMerchant(cases);
    expect(report.map((r) => [r.merchantId, r.cases])).toEqual([['m-a', 4], ['m-b', 1]]);
  });
});
