/**
 * Event activities of the case workflows: turn a batch of timeline entries into outbound case events
 * (ids from the case id and the entry's position, so retries deduplicate) and hand them to their sinks'
 * deliveries (activities/delivery.ts), or to a sink-less publisher directly. The case never waits for a
 * webhook: a hand-off is a signal per (subscription, case).
 */
import type { CaseKind, TimelineEntry } from '../workflows/domain/case';
import { toIsoWithOffset } from '../workflows/domain/clock';
import { CASE_EVENT_SCHEMA_VERSION, type DeliveryPolicy, type EventPublisher, type NewCaseEvent } from './adapters/events';
import { handOffEvents } from './delivery';
import { countCaseEvents, recordProjectionLag, type CaseMetricsOptions } from './case-metrics';
import type { CaseSnapshotHandOff } from '../workflows/case-runtime';
import type { CaseProjection } from './projection/store';

export interface CaseEventBatch {
  caseId: string;
  kind: string;
  merchantId: string;
  timeZone: string;
  /** Position of the first entry in the case timeline. */
  firstSequence: number;
  entries: TimelineEntry[];
}

export interface CaseEventHandOff extends CaseEventBatch {
  /** The case workflow has finished: its deliveries may end once they are empty. */
  caseClosed?: boolean;
  /** The case at this hand-off, for the read projection (cases behind `patched('case-projection-snapshots')`). */
  snapshot?: CaseSnapshotHandOff;
}

/** What an inline hand-off recorded, as its history keeps it. */
export interface CaseHandOffRecord {
  merchantId: string;
  timeZone: string;
  snapshot: CaseSnapshotHandOff;
}

function caseEvents(batch: CaseEventBatch): NewCaseEvent[] {
  return batch.entries.map((entry, i) => ({
    id: `${batch.caseId}:${batch.firstSequence + i}`,
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    type: entry.type,
    caseId: batch.caseId,
    kind: batch.kind,
    merchantId: batch.merchantId,
    at: toIsoWithOffset(entry.at, batch.timeZone),
    data: { actor: entry.actor, ...(entry.actorRef ? { actorRef: entry.actorRef } : {}), ...(entry.data ?? {}) },
  }));
}

export function createEventActivities(publisher: EventPublisher, delivery?: Partial<DeliveryPolicy>, metrics?: CaseMetricsOptions, projection?: CaseProjection) {
  return {
    /** Cases started before per-subscription delivery (and their replays) call this one. */
    async publishCaseEvents(batch: CaseEventBatch): Promise<void> {
      await handOffEvents(publisher, delivery, { events: caseEvents(batch) });
      countCaseEvents(batch, metrics);
    },
    /** Cases behind `patched('case-events-per-subscription')`: the last hand-off says the case closed. */
    handOffCaseEvents,
    /**
     * The same hand-off run as a local activity inside the case's workflow task (`patched('case-hand-off-inline')`).
     * A local activity's input is not kept in history, its result is: it answers with the snapshot it recorded,
     * so the history still holds every snapshot and a rebuild needs no worker.
     */
    async handOffCaseEventsInline(batch: CaseEventHandOff): Promise<CaseHandOffRecord | null> {
      await handOffCaseEvents(batch);
      return batch.snapshot ? { merchantId: batch.merchantId, timeZone: batch.timeZone, snapshot: batch.snapshot } : null;
    },
  };

  async function handOffCaseEvents(batch: CaseEventHandOff): Promise<void> {
    // The projection first, in the case's own order: webhook subscribers (slow or dead) come after and never hold it up.
    if (batch.snapshot && projection) {
      await projection.record({ caseId: batch.caseId, kind: batch.kind as CaseKind, merchantId: batch.merchantId, timeZone: batch.timeZone, snapshot: batch.snapshot });
      // The lag from the case's latest change (its view's updatedAt, or the newest entry) to its row.
      const changedAt = (batch.snapshot.view as { updatedAt?: number }).updatedAt ?? batch.entries.at(-1)?.at;
      if (changedAt !== undefined) recordProjectionLag(batch.kind, changedAt, Date.now(), metrics, batch.merchantId);
    }
    await handOffEvents(publisher, delivery, {
      events: caseEvents(batch),
      ...(batch.caseClosed ? { caseClosed: { caseId: batch.caseId, merchantId: batch.merchantId } } : {}),
    });
    countCaseEvents(batch, metrics);
  }
}
