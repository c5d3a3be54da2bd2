/**
 * JD-style platform dispute rules (京东纠纷规则 2025, JD 2026 quality after-sale): fast merchant answers,
 * evidence in working hours counted every day, 24 h to execute a ruling, 7 natural days to appeal.
 */
import type { Policy } from '../types';
import { CN_MARKETPLACE, hours } from './cn-marketplace';

export const CN_JD_DISPUTE: Policy = {
  ...CN_MARKETPLACE,
  id: 'cn-jd-dispute',
  name: 'JD-style dispute handling',
  description: 'Merchant answers a dispute in 24 h; evidence within 4 working hours inside 09:00-18:00 every day; ruling executed in 24 h; appeal within 7 natural days.',
  afterSale: {
    ...CN_MARKETPLACE.afterSale,
    deadlines: {
      ...CN_MARKETPLACE.afterSale.deadlines,
      disputeAnswer: hours(24),
      evidence: { amount: 4, unit: 'working_hours', calendar: 'jd-evidence' },
      rulingExecution: hours(24),
      appealWindow: { amount: 7, unit: 'calendar_days' },
      replacementShipment: hours(72),
      repair: { amount: 30, unit: 'calendar_days' },
    },
  },
  sources: {
    ...CN_MARKETPLACE.sources,
    'afterSale.deadlines.disputeAnswer': 'JD dispute rules (2025): the merchant answers within 24 h',
    'afterSale.deadlines.evidence': 'JD dispute rules: evidence supplement in 4 working hours inside 09:00-18:00, every day (14:01 → 09:01 next day)',
    'afterSale.deadlines.rulingExecution': 'JD: the merchant executes a ruling within 24 h, else the platform does',
    'afterSale.deadlines.appealWindow': 'JD: appeal within 7 natural days after close',
    'afterSale.deadlines.replacementShipment': 'JD 2026 quality after-sale (footwear/bags): reship within 72 h',
    'afterSale.deadlines.repair': 'JD 2026 quality after-sale: repair within 30 days',
  },
};
