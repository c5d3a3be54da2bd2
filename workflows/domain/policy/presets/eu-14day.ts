/**
 * EU right of withdrawal (Directive 2011/83/EU): 14 days from possession of the last item, refund within
 * 14 days (the trader may wait for the goods or proof of sending). Times in Central European Time.
 * Version 2: the directive's periods end as Regulation 1182/71 art. 3(4)-(5) says (recital 41): a last day
 * on a Saturday, Sunday or public holiday moves to the next working day. Version 1 counted 14 plain days;
 * cases pinned to it keep that (they hold their policy by value).
 */
import type { Policy } from '../types';
import { CN_MARKETPLACE, hours } from './cn-marketplace';

export const EU_14DAY: Policy = {
  ...CN_MARKETPLACE,
  id: 'eu-14day',
  version: 2,
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
      buyerReturnShipment: { amount: 14, unit: 'calendar_days', endOfPeriodRule: 'eu-1182-71' },
      refundPayment: { amount: 14, unit: 'calendar_days', endOfPeriodRule: 'eu-1182-71' },
      merchantResponse: hours(72),
    },
    authorityLimit: { amount: 10_000, currency: 'EUR' },
    noReasonReturn: { window: { amount: 14, unit: 'calendar_days', endOfPeriodRule: 'eu-1182-71' } },
  },
  sources: {
    ...CN_MARKETPLACE.sources,
    'afterSale.noReasonReturn.window': 'Directive 2011/83/EU art. 9: 14 days from the day the consumer acquires physical possession; ends as Regulation 1182/71 art. 3(4)-(5) says (recital 41): a Saturday, Sunday or public holiday moves the end to the next working day',
    'afterSale.deadlines.buyerReturnShipment': 'Directive 2011/83/EU art. 14: send the goods back within 14 days of withdrawal; end per Regulation 1182/71 art. 3(4) (recital 41)',
    'afterSale.deadlines.refundPayment': 'Directive 2011/83/EU art. 13: refund within 14 days (may wait for the goods or proof of sending); end per Regulation 1182/71 art. 3(4) (recital 41)',
    'calendars.eu-cet-24x7': 'Central European Time; no public holidays: EU law has no common list, so only Saturdays and Sundays move a period end. A policy extending this one may name a calendar with its member state\'s public holidays as defaultCalendar',
    'afterSale.deadlines.merchantResponse': 'product default: acknowledge a withdrawal within 72 h (withdrawal needs no approval in law)',
    'afterSale.authorityLimit': 'product default: EUR 100.00',
  },
};
