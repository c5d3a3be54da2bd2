/**
 * Sandbox adapters for the embedded default and the tests: a payment ledger, an event log and a notification outbox
 * in memory, all inspectable. Production passes HTTP adapters instead.
 */
import { SandboxEventPublisher } from '../activities/adapters/events';
import { SandboxPaymentGateway } from '../activities/adapters/sandbox-payments';
import { SandboxNotifier } from '../activities/adapters/notifications';

export interface SandboxAdapters {
  payments: SandboxPaymentGateway;
  events: SandboxEventPublisher;
  notifications: SandboxNotifier;
}

export function createSandboxAdapters(): SandboxAdapters {
  return { payments: new SandboxPaymentGateway(), events: new SandboxEventPublisher(), notifications: new SandboxNotifier() };
}
