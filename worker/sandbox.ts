/**
 * Sandbox adapters for the embedded default and the tests: a payment ledger, an event log, a notification outbox,
 * parcels and orders in memory, all inspectable. Production passes HTTP adapters instead.
 */
import { SandboxEventPublisher } from '../activities/adapters/events';
import { SandboxPaymentGateway } from '../activities/adapters/sandbox-payments';
import { SandboxNotifier } from '../activities/adapters/notifications';
import { SandboxLogistics } from '../activities/adapters/logistics';
import { SandboxOrders } from '../activities/adapters/orders';

export interface SandboxAdapters {
  payments: SandboxPaymentGateway;
  events: SandboxEventPublisher;
  notifications: SandboxNotifier;
  logistics: SandboxLogistics;
  orders: SandboxOrders;
}

export function createSandboxAdapters(): SandboxAdapters {
  return {
    payments: new SandboxPaymentGateway(), events: new SandboxEventPublisher(), notifications: new SandboxNotifier(),
    logistics: new SandboxLogistics(), orders: new SandboxOrders(),
  };
}
