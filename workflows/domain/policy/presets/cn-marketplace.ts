/**
 * 中国电商平台 defaults: Taobao/Tmall-style silence rules, JD numbers where the marketplace rule is silent.
 * The product's default policy.
 */
import type { Policy } from '../types';
import { COMPLAINT_DEFAULTS } from '../sections/complaint';
import { SURVEY_DEFAULTS } from '../sections/survey';

export const hours = (amount: number) => ({ amount, unit: 'hours' as const });

/** 中国电商平台 defaults (Taobao/Tmall-style marketplace rules, JD where the marketplace rule is silent). */
export const CN_MARKETPLACE: Policy = {
  id: 'cn-marketplace',
  version: 1,
  name: 'China marketplace after-sale defaults',
  description: 'Taobao-style silence rules: merchant silent 5 days → approved; buyer does not ship back in 7 days → closed; merchant does not confirm receipt in 10 days → refunded.',
  defaultCalendar: '24x7',
  warning: { percentElapsed: 80 },
  afterSale: {
    deadlines: {
      merchantResponse: hours(120),
      buyerReturnShipment: hours(168),
      merchantReceipt: hours(240),
      refundPayment: { amount: 7, unit: 'calendar_days' },
      refundApproval: hours(24),
      escalationWindow: hours(168),
      disputeAnswer: hours(24),
      evidence: hours(72),
      rulingExecution: hours(24),
      appealWindow: hours(168),
      replacementShipment: hours(72),
      repair: hours(720),
      suspension: { amount: 30, unit: 'calendar_days' },
    },
    authorityLimit: { amount: 50_000, currency: 'CNY' },
    noReasonReturn: { window: { amount: 7, unit: 'calendar_days' } },
    suspensionLimits: {
      legal_proof: { amount: 7, unit: 'working_days', calendar: 'cn-workdays' },
      police: { amount: 183, unit: 'calendar_days' },
    },
  },
  complaint: COMPLAINT_DEFAULTS,
  survey: SURVEY_DEFAULTS,
  sources: {
    'afterSale.deadlines.merchantResponse': 'Taobao-style rule: merchant silent on a request for 5 days → auto-agree',
    'afterSale.deadlines.buyerReturnShipment': 'Taobao-style rule: buyer does not ship back within 7 days → closed',
    'afterSale.deadlines.merchantReceipt': 'Taobao-style rule: merchant does not confirm receipt within 10 days → auto-refund',
    'afterSale.deadlines.refundPayment': 'SAMR Order 2017-90 art. 13: refund within 7 days of receiving the return',
    'afterSale.deadlines.refundApproval': 'product default: a second approver answers within 24 h',
    'afterSale.deadlines.escalationWindow': 'product default (Taobao-style): 7 days to ask for platform intervention after a rejection',
    'afterSale.deadlines.disputeAnswer': 'JD dispute rules (2025): merchant answers within 24 h',
    'afterSale.deadlines.evidence': 'product default: 72 h to supplement evidence (cn-jd-dispute uses 4 working hours)',
    'afterSale.deadlines.rulingExecution': 'JD: merchant executes a ruling within 24 h, else the platform does',
    'afterSale.deadlines.appealWindow': 'JD: appeal within 7 natural days after close',
    'afterSale.deadlines.replacementShipment': 'JD 2026 quality after-sale: reship within 72 h',
    'afterSale.deadlines.repair': 'JD 2026 quality after-sale: repair within 30 days',
    'afterSale.deadlines.suspension': 'Taobao art. 82-83: 30 days of negotiation',
    'afterSale.suspensionLimits.legal_proof': 'Taobao art. 82-83, JD: 7 working days to bring proof that a court or the police took the matter up (Chinese statutory working days)',
    'afterSale.suspensionLimits.police': 'Taobao art. 82-83, JD: a police case suspends for 6 months, as 183 natural days (the policy clock has no month unit)',
    'afterSale.noReasonReturn.window': 'CN Consumer Rights Protection Law art. 25; SAMR Order 2017-90 art. 10: 7 days from the day after sign-off',
    'afterSale.authorityLimit': 'product default: refunds above CNY 500.00 approved by a person need a second approver',
    warning: 'product default: warn when 80% of a deadline budget has elapsed',
  },
};
