/**
 * EU right of withdrawal (Directive 2011/83/EU): 14 days from possession of the last item, refund within
 * 14 days (the trader may wait for the goods or proof of sending). Times in Central European Time.
 */
import type { Policy } from '../types';
import { CN_MARKETPLACE, hours } from './cn-marketplace';

export const EU_14DAY: Policy = {
  ...CN_MARKETPLACE,
  id: 'eu-14day',
  name: 'EU 14-day withdrawal',
  description: 'Directive 2011/83/EU art. 9, 13, 14: withdraw within 14 days of possession; send back within 14 days; refund within 14 days.',
  defaultCalendar: 'eu-cet-24x7',
  calendars: {
    'eu-cet-24x7': { id: 'eu-cet-24x7', timeZone: 'Europe/Berlin', workingHours: '24x7', holidays: [], makeUpWorkdays: [] },
  },
  afterSale: {
    ...CN_MARKETPLACE.afterSale,
    deadlines: {
      ...CN_MARKETPLACE.afterSale.deadlines,
      buyerReturnShipment: { amount: 14, unit: 'calendar_days' },
      refundPayment: { amount: 14, unit: 'calendar_days' },
      merchantResponse: hours(72),
    },
    authorityLimit: { amount: 10_000, currency: 'EUR' },
    noReasonReturn: { window: { amount: 14, unit: 'calendar_days' } },
  },
  sources: {
    ...CN_MARKETPLACE.sources,
    'afterSale.noReasonReturn.window': 'Directive 2011/83/EU art. 9: 14 days from the day the consumer acquires physical possession',
    'afterSale.deadlines.buyerReturnShipment': 'Directive 2011/83/EU art. 14: send the goods back within 14 days of withdrawal',
    'afterSale.deadlines.refundPayment': 'Directive 2011/83/EU art. 13: refund within 14 days (may wait for the goods or proof of sending)',
    'afterSale.deadlines.merchantResponse': 'product default: acknowledge a withdrawal within 72 h (withdrawal needs no approval in law)',
    'afterSale.authorityLimit': 'product default: EUR 100.00',
  },
};
