/**
 * Amazon-style returns: a 30-day window, in-policy returns authorised at once, and the A-to-z Guarantee for
 * calling in the platform: the buyer may claim once the seller has answered, or after allowing two business
 * days for an answer, whichever comes first; claims have their own time limit (90 days); the seller answers
 * a claim within 72 h.
 * Version 2: version 1 read "the buyer may claim 48 h after contacting the seller" as a 48 h window after a
 * rejection that closed the request as rejected (the opposite of the rule). Cases pinned to version 1 keep it.
 */
import type { Calendar } from '../../clock/calendar';
import { CALENDAR_24X7 } from '../../clock/builtin-calendars';
import type { Policy } from '../types';
import { CN_MARKETPLACE, hours } from './cn-marketplace';

const WHOLE_DAY = [{ start: '00:00', end: '24:00' }];

/** Business days Monday to Friday, in the preset's zone (its default calendar 24x7's); no marketplace holidays. */
const BUSINESS_DAYS: Calendar = {
  id: 'amazon-business-days',
  timeZone: CALENDAR_24X7.timeZone,
  workingHours: { 1: WHOLE_DAY, 2: WHOLE_DAY, 3: WHOLE_DAY, 4: WHOLE_DAY, 5: WHOLE_DAY },
  holidays: [],
  makeUpWorkdays: [],
};

export const AMAZON_30DAY: Policy = {
  ...CN_MARKETPLACE,
  id: 'amazon-30day',
  version: 2,
  name: 'Amazon-style 30-day returns',
  description: 'In-policy returns are authorised automatically; 30-day return window; A-to-z claims open once the seller answered or after two business days without an answer, within 90 days; the seller answers a claim within 72 h.',
  calendars: { [BUSINESS_DAYS.id]: BUSINESS_DAYS },
  afterSale: {
    ...CN_MARKETPLACE.afterSale,
    deadlines: {
      ...CN_MARKETPLACE.afterSale.deadlines,
      merchantResponse: { amount: 0, unit: 'seconds' },
      escalationWindow: { amount: 90, unit: 'calendar_days' },
      disputeAnswer: hours(72),
      buyerReturnShipment: { amount: 30, unit: 'calendar_days' },
    },
    authorityLimit: { amount: 50_000, currency: 'USD' },
    noReasonReturn: { window: { amount: 30, unit: 'calendar_days' } },
    escalationOpensAfterNoAnswer: { amount: 2, unit: 'working_days', calendar: BUSINESS_DAYS.id },
  },
  sources: {
    ...CN_MARKETPLACE.sources,
    'afterSale.deadlines.merchantResponse': 'Amazon: in-policy returns are authorised automatically (0 s: approved at once)',
    'afterSale.noReasonReturn.window': 'Amazon: 30-day return window from delivery',
    'afterSale.escalationOpensAfterNoAnswer': 'Amazon A-to-z Guarantee: the buyer may claim once the seller has answered, or after allowing two business days for an answer, whichever comes first (whole business days Mon-Fri after the request)',
    'afterSale.deadlines.escalationWindow': 'Amazon A-to-z Guarantee: a claim is submitted within 90 days of the latest estimated delivery date; counted here from the seller\'s answer, the case knowing no estimated delivery date',
    'afterSale.deadlines.disputeAnswer': 'Amazon A-to-z: the seller answers within 72 h',
    'afterSale.deadlines.buyerReturnShipment': 'Amazon: the item is sent back within 30 days of the return authorisation',
    'afterSale.authorityLimit': 'product default: USD 500.00',
    'calendars.amazon-business-days': 'Business days Monday to Friday in the preset\'s zone; marketplace holidays are not modelled',
  },
};
