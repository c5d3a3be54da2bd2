/**
 * Activities of the plugin, built over their adapters (`createActivities(deps)`), so the sandbox and
 * production swap gateways without mocking modules. Workflows import the *type* only.
 */
import type { EventPublisher } from './adapters/events';
import type { PaymentGateway } from './adapters/payments';
import type { Notifier } from './adapters/notifications';
import type { LogisticsService } from './adapters/logistics';
import type { OrderService } from './adapters/orders';
import { createEventActivities } from './events';
import { createRefundActivities } from './refunds';
import { createNotificationActivities } from './notifications';
import { createOrderSystemActivities } from './order-systems';

export interface ActivityDeps {
  payments: PaymentGateway;
  events: EventPublisher;
  notifications: Notifier;
  logistics: LogisticsService;
  orders: OrderService;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRefundActivities(deps.payments),
    ...createEventActivities(deps.events),
    ...createNotificationActivities(deps.notifications, deps.events),
    ...createOrderSystemActivities(deps.logistics, deps.orders),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
export { REFUND_REFUSED } from './refunds';
