/**
 * Activities of the plugin, built over their adapters (`createActivities(deps)`), so the sandbox and
 * production swap gateways without mocking modules. Workflows import the *type* only.
 */
import type { DeliveryPolicy, EventPublisher } from './adapters/events';
import type { PaymentGateway } from './adapters/payments';
import type { Notifier } from './adapters/notifications';
import type { LogisticsService } from './adapters/logistics';
import type { OrderService } from './adapters/orders';
import { createDeliveryActivities, handOffEvents } from './delivery';
import { createEventActivities } from './events';
import { recordSurveyEvents } from './projection/survey-events';
import type { CaseProjection } from './projection/store';
import { createRefundActivities } from './refunds';
import { createNotificationActivities } from './notifications';
import { createOrderSystemActivities } from './order-systems';
import { createCalendarYearActivities, type CalendarYearSettings } from './calendar-years';
import type { CaseMetricsOptions } from './case-metrics';

export interface ActivityDeps {
  payments: PaymentGateway;
  events: EventPublisher;
  notifications: Notifier;
  logistics: LogisticsService;
  orders: OrderService;
  /** Webhook delivery settings over the publisher's own (attempts before parking, backoff, idle end). */
  webhookDelivery?: Partial<DeliveryPolicy>;
  /** How often a case asks again about a calendar year not yet published, and how long a read is reused. */
  calendarYears?: CalendarYearSettings;
  /** Case metrics on the activities' SDK meter (activities/case-metrics.ts): `merchantLabel` adds the merchant id. */
  caseMetrics?: CaseMetricsOptions;
  /** The read projection the case events keep (activities/projection); without it the API reads through Queries. */
  projection?: CaseProjection;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRefundActivities(deps.payments),
    ...createEventActivities(deps.events, deps.webhookDelivery, deps.caseMetrics, deps.projection),
    ...createDeliveryActivities(deps.events, deps.caseMetrics),
    // Survey events go through the same per-subscription deliveries as case events.
    ...createNotificationActivities(deps.notifications, {
      publish: async (events) => {
        if (deps.projection) await recordSurveyEvents(deps.projection, events);
        await handOffEvents(deps.events, deps.webhookDelivery, { events });
      },
    }, deps.caseMetrics),
    ...createOrderSystemActivities(deps.logistics, deps.orders),
    ...createCalendarYearActivities(deps.calendarYears),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
export { REFUND_REFUSED } from './refunds';
