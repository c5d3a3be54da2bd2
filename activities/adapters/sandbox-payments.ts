/**
 * The local payment sandbox used by the embedded default and the tests: a ledger keyed by idempotency key
 * that tests read, and failure injection (timeout after commit, HTTP 500, HTTP 429, refusal for good) for the
 * next N calls or for one case's refunds; the embedded default's sandbox routes drive it over HTTP.
 */
import type { Money } from '../../workflows/domain/case';
import { GatewayUnavailableError, RefundRefusedError, type PaymentGateway, type RefundOrder, type RefundReceipt } from './payments';

export type SandboxFault = 'timeout_after_commit' | 'http_500' | 'http_429' | 'refuse';

export interface LedgerEntry {
  idempotencyKey: string;
  caseId: string;
  merchantId: string;
  orderId: string;
  amount: Money;
  gatewayRef: string;
  executedAt: number;
}

export class SandboxPaymentGateway implements PaymentGateway {
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly faults: SandboxFault[] = [];
  /** Faults for one case's refunds only, taken before the general ones. */
  private readonly caseFaults = new Map<string, SandboxFault[]>();
  /** Every call, in order, with what the sandbox answered: lets tests see retries. */
  readonly calls: Array<{ idempotencyKey: string; answer: SandboxFault | 'committed' | 'replayed' }> = [];

  constructor(private readonly clock: () => number = Date.now) {}

  /** The next `times` calls fail this way (in order of injection). */
  injectFault(fault: SandboxFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults.push(fault);
  }

  /** The next `times` calls for this case's refunds fail this way; other cases are untouched. */
  injectFaultForCase(caseId: string, fault: SandboxFault, times = 1): void {
    const queue = this.caseFaults.get(caseId) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.caseFaults.set(caseId, queue);
  }

  /** Faults still waiting: the general queue, and per case. */
  pendingFaults(): { next: SandboxFault[]; byCase: Record<string, SandboxFault[]> } {
    return { next: [...this.faults], byCase: Object.fromEntries([...this.caseFaults].filter(([, q]) => q.length > 0).map(([id, q]) => [id, [...q]])) };
  }

  /** Forget every fault not yet used. */
  clearFaults(): void {
    this.faults.length = 0;
    this.caseFaults.clear();
  }

  private takeFault(caseId: string): SandboxFault | undefined {
    const queue = this.caseFaults.get(caseId);
    if (queue && queue.length > 0) return queue.shift();
    return this.faults.shift();
  }

  entries(): LedgerEntry[] {
    return [...this.ledger.values()];
  }

  entriesFor(caseId: string): LedgerEntry[] {
    return this.entries().filter((e) => e.caseId === caseId);
  }

  async refund(order: RefundOrder): Promise<RefundReceipt> {
    const existing = this.ledger.get(order.idempotencyKey);
    const fault = this.takeFault(order.caseId);
    if (fault === 'http_500' || fault === 'http_429') {
      this.calls.push({ idempotencyKey: order.idempotencyKey, answer: fault });
      throw new GatewayUnavailableError(fault === 'http_500' ? 'gateway answered 500' : 'gateway answered 429', fault === 'http_429' ? 1000 : undefined);
    }
    if (fault === 'refuse') {
      this.calls.push({ idempotencyKey: order.idempotencyKey, answer: fault });
      throw new RefundRefusedError('gateway refused the refund: order not refundable');
    }
    if (existing && fault === 'timeout_after_commit') {
      // The replay was answered, but the answer was lost again on the way back.
      this.calls.push({ idempotencyKey: order.idempotencyKey, answer: fault });
      throw new GatewayUnavailableError('gateway timed out (the refund was already committed)');
    }
    if (existing) {
      this.calls.push({ idempotencyKey: order.idempotencyKey, answer: 'replayed' });
      return { gatewayRef: existing.gatewayRef, executedAt: existing.executedAt };
    }
    const entry: LedgerEntry = { ...order, gatewayRef: `sbx-${this.ledger.size + 1}`, executedAt: this.clock() };
    this.ledger.set(order.idempotencyKey, entry);
    if (fault === 'timeout_after_commit') {
      // The money moved, but the caller never hears it: only the idempotency key prevents a second refund.
      this.calls.push({ idempotencyKey: order.idempotencyKey, answer: fault });
      throw new GatewayUnavailableError('gateway timed out (after committing)');
    }
    this.calls.push({ idempotencyKey: order.idempotencyKey, answer: 'committed' });
    return { gatewayRef: entry.gatewayRef, executedAt: entry.executedAt };
  }
}
