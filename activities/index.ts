/**
 * Activities of the plugin, built over their adapters (`createActivities(deps)`), so the sandbox and
 * production swap gateways without mocking modules. Workflows import the *type* only.
 */
import type { EventPublisher } from './adapters/events';
import type { PaymentGateway } from './adapters/payments';
import type { Notifier } from './adapters/notifications';
import { createEventActivities } from './events';
import { createRefundActivities } from './refunds';
import { createNotificationActivities } from './notifications';

export interface ActivityDeps {
  payments: PaymentGateway;
  events: EventPublisher;
  notifications: Notifier;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRefundActivities(deps.payments),
    ...createEventActivities(deps.events),
    ...createNotificationActivities(deps.notifications, deps.events),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
export { REFUND_REFUSED } from './refunds';
