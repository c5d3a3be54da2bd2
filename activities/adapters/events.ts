/**
 * The outbound event port: every case event (state change, warning, breach, default outcome, refund
 * result) goes out at least once, in order per case, with an id receivers deduplicate by.
 */
export interface CaseEvent {
  /** `<caseId>:<sequence>`: stable across retries and restarts. */
  id: string;
  type: string;
  caseId: string;
  kind: string;
  merchantId: string;
  /** ISO-8601 with offset. */
  at: string;
  data: Record<string, unknown>;
}

export interface EventPublisher {
  publish(events: CaseEvent[]): Promise<void>;
}

/** Sandbox publisher: keeps what was delivered (deduplicated by id) for tests and the embedded default. */
export class SandboxEventPublisher implements EventPublisher {
  private readonly byId = new Map<string, CaseEvent>();

  async publish(events: CaseEvent[]): Promise<void> {
    for (const event of events) if (!this.byId.has(event.id)) this.byId.set(event.id, event);
  }

  events(caseId?: string): CaseEvent[] {
    const all = [...this.byId.values()];
    return caseId ? all.filter((e) => e.caseId === caseId) : all;
  }
}
