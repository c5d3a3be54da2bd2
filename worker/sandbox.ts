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

/**
 * The sandbox adapters among the ones a worker really uses (a real adapter configured in their place is
 * left out), for the API's sandbox routes in the embedded default, where API and worker share one process.
 */
export function sandboxAdaptersIn(adapters: { [K in keyof SandboxAdapters]?: unknown }): Partial<SandboxAdapters> {
  const found: Partial<SandboxAdapters> = {};
  if (adapters.payments instanceof SandboxPaymentGateway) found.payments = adapters.payments;
  if (adapters.events instanceof SandboxEventPublisher) found.events = adapters.events;
  if (adapters.notifications instanceof SandboxNotifier) found.notifications = adapters.notifications;
  if (adapters.logistics instanceof SandboxLogistics) found.logistics = adapters.logistics;
  if (adapters.orders instanceof SandboxOrders) found.orders = adapters.orders;
  return found;
}
