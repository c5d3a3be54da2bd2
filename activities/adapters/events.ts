/**
 * The outbound event port: every case event (state change, warning, breach, default outcome, refund
 * result) goes out at least once, in order per case, with an id receivers deduplicate by. A publisher
 * either takes events itself (the sandbox log) or names its **sinks** (one per webhook subscription; the
 * projection later): then each sink gets its own durable delivery per case (activities/delivery.ts), so
 * one failing sink never holds up another sink or the case.
 */

/** The shape of `data` and of the envelope; receivers branch on it. Bump on any incompatible change. */
export const CASE_EVENT_SCHEMA_VERSION = 1;

export interface CaseEvent {
  /** `<caseId>:<sequence>` (survey events `<caseId>:survey:<sequence>`): stable across retries and restarts. */
  id: string;
  /** Names the shape of the envelope and of `data` (CASE_EVENT_SCHEMA_VERSION when the event was made). */
  schemaVersion: number;
  type: string;
  caseId: string;
  kind: string;
  merchantId: string;
  /** ISO-8601 with offset. */
  at: string;
  data: Record<string, unknown>;
}

/** An event as activities build it; the current schemaVersion is filled in when absent. */
export type NewCaseEvent = Omit<CaseEvent, 'schemaVersion'> & { schemaVersion?: number };

export function withSchemaVersion(event: NewCaseEvent): CaseEvent {
  const { id, schemaVersion, ...rest } = event;
  return { id, schemaVersion: schemaVersion ?? CASE_EVENT_SCHEMA_VERSION, ...rest };
}

export interface EventPublisher {
  publish(events: NewCaseEvent[]): Promise<void>;
}

/** One destination of events with its own delivery (a webhook subscription). */
export interface EventSink {
  /** Stable id (never a secret, never personal data): names the sink's delivery workflows. */
  readonly id: string;
  /** Whether this sink takes this event (e.g. the subscription's merchant). */
  accepts(event: CaseEvent): boolean;
  /** Delivers one event; throws when the sink did not take it (the delivery then retries, later parks). */
  deliver(event: CaseEvent): Promise<void>;
}

/** How a sink's delivery retries before its events are parked for an admin. */
export interface DeliveryPolicy {
  /** Attempts per event before the sink's queue for that case is parked. */
  maxAttempts: number;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** A delivery whose case has not said it closed ends after this long with nothing to deliver. */
  idleTimeoutMs: number;
  /** History events after which a delivery continues as new (Temporal suggests it earlier on large histories). */
  historyLimit: number;
}

/** About half an hour of attempts (1 s doubling up to 10 min, 12 attempts) before parking. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 12, initialIntervalMs: 1_000, maximumIntervalMs: 600_000, idleTimeoutMs: 3_600_000, historyLimit: 2_000,
};

/** A publisher whose events go out per sink, each through its own durable delivery. */
export interface SinkPublisher extends EventPublisher {
  readonly sinks: readonly EventSink[];
  /** The publisher's own delivery settings (e.g. WEBHOOK_MAX_ATTEMPTS), over the defaults. */
  readonly delivery?: Partial<DeliveryPolicy>;
}

export function hasSinks(publisher: EventPublisher): publisher is SinkPublisher {
  return Array.isArray((publisher as Partial<SinkPublisher>).sinks);
}

/** Sandbox publisher: keeps what was delivered (deduplicated by id) for tests and the embedded default. */
export class SandboxEventPublisher implements EventPublisher {
  private readonly byId = new Map<string, CaseEvent>();
  private readonly listeners: Array<(event: CaseEvent) => void> = [];

  async publish(events: NewCaseEvent[]): Promise<void> {
    for (const event of events) {
      if (this.byId.has(event.id)) continue;
      const stored = withSchemaVersion(event);
      this.byId.set(event.id, stored);
      for (const listener of this.listeners) listener(stored);
    }
  }

  /** Calls `listener` once per new event (not for duplicates), e.g. the embedded default's log line per event. */
  subscribe(listener: (event: CaseEvent) => void): void {
    this.listeners.push(listener);
  }

  events(caseId?: string): CaseEvent[] {
    const all = [...this.byId.values()];
    return caseId ? all.filter((e) => e.caseId === caseId) : all;
  }
}
