/**
 * Sandbox adapters for the embedded default and the tests: a payment ledger and an event log in memory,
 * both inspectable. Production passes HTTP adapters instead.
 */
import { SandboxEventPublisher } from '../activities/adapters/events';
import { SandboxPaymentGateway } from '../activities/adapters/sandbox-payments';

export interface SandboxAdapters {
  payments: SandboxPaymentGateway;
  events: SandboxEventPublisher;
}

export function createSandboxAdapters(): SandboxAdapters {
  return { payments: new SandboxPaymentGateway(), events: new SandboxEventPublisher() };
}
