/**
 * The statutory floor for China (七天无理由退货): what the law itself fixes, on top of marketplace
 * timings for everything the law leaves to the platform.
 */
import type { Policy } from '../types';
import { CN_MARKETPLACE } from './cn-marketplace';

export const CN_7DAY_LAW: Policy = {
  ...CN_MARKETPLACE,
  id: 'cn-7day-law',
  name: 'China 7-day no-reason return law',
  description: 'Consumer Rights Protection Law art. 25 and SAMR Order 2017-90: 7 natural days from the day after sign-off; refund within 7 days of receiving the return.',
  afterSale: {
    ...CN_MARKETPLACE.afterSale,
    deadlines: {
      ...CN_MARKETPLACE.afterSale.deadlines,
      refundPayment: { amount: 7, unit: 'calendar_days' },
    },
    noReasonReturn: { window: { amount: 7, unit: 'calendar_days' } },
  },
  sources: {
    ...CN_MARKETPLACE.sources,
    'afterSale.noReasonReturn.window': 'CN Consumer Rights Protection Law art. 25; SAMR Order 2017-90 art. 10 (Tmall counts 168 h from 00:00 of the next day: the same instant)',
    'afterSale.deadlines.refundPayment': 'SAMR Order 2017-90 art. 13: refund within 7 days of receiving the returned goods',
    exclusions: 'SAMR Order 2017-90 art. 6-7: made to order, perishable, downloaded digital, periodicals; nature-based exclusions only when confirmed at checkout (art. 9)',
    'other deadlines': 'not fixed by law: cn-marketplace values',
  },
};
