/**
 * Event activity: turns a batch of timeline entries into outbound case events and hands them to the
 * publisher. Event ids come from the case id and the entry's position, so retries deduplicate.
 */
import type { TimelineEntry } from '../workflows/domain/case';
import { toIsoWithOffset } from '../workflows/domain/clock';
import type { EventPublisher } from './adapters/events';

export interface CaseEventBatch {
  caseId: string;
  kind: string;
  merchantId: string;
  timeZone: string;
  /** Position of the first entry in the case timeline. */
  firstSequence: number;
  entries: TimelineEntry[];
}

export function createEventActivities(publisher: EventPublisher) {
  return {
    async publishCaseEvents(batch: CaseEventBatch): Promise<void> {
      await publisher.publish(batch.entries.map((entry, i) => ({
        id: `${batch.caseId}:${batch.firstSequence + i}`,
        type: entry.type,
        caseId: batch.caseId,
        kind: batch.kind,
        merchantId: batch.merchantId,
        at: toIsoWithOffset(entry.at, batch.timeZone),
        data: { actor: entry.actor, ...(entry.actorRef ? { actorRef: entry.actorRef } : {}), ...(entry.data ?? {}) },
      })));
    },
  };
}
