/**
 * Amazon-style returns: a 30-day window, in-policy returns authorised at once, the seller answers a claim
 * within 72 h, the buyer may claim 48 h after contacting the seller (A-to-z Guarantee).
 */
import type { Policy } from '../types';
import { CN_MARKETPLACE, hours } from './cn-marketplace';

export const AMAZON_30DAY: Policy = {
  ...CN_MARKETPLACE,
  id: 'amazon-30day',
  name: 'Amazon-style 30-day returns',
  description: 'In-policy returns are authorised automatically; 30-day return window; seller answers A-to-z claims within 72 h.',
  afterSale: {
    ...CN_MARKETPLACE.afterSale,
    deadlines: {
      ...CN_MARKETPLACE.afterSale.deadlines,
      merchantResponse: { amount: 0, unit: 'seconds' },
      escalationWindow: hours(48),
      disputeAnswer: hours(72),
      buyerReturnShipment: { amount: 30, unit: 'calendar_days' },
    },
    authorityLimit: { amount: 50_000, currency: 'USD' },
    noReasonReturn: { window: { amount: 30, unit: 'calendar_days' } },
  },
  sources: {
    ...CN_MARKETPLACE.sources,
    'afterSale.deadlines.merchantResponse': 'Amazon: in-policy returns are authorised automatically (0 s: approved at once)',
    'afterSale.noReasonReturn.window': 'Amazon: 30-day return window from delivery',
    'afterSale.deadlines.escalationWindow': 'Amazon A-to-z: the buyer may claim 48 h after contacting the seller',
    'afterSale.deadlines.disputeAnswer': 'Amazon A-to-z: the seller answers within 72 h',
    'afterSale.deadlines.buyerReturnShipment': 'Amazon: the item is sent back within 30 days of the return authorisation',
    'afterSale.authorityLimit': 'product default: USD 500.00',
  },
};
