/**
 * Notification activities: send one notification through the notifier, and publish a survey's record
 * (sent, reminded, answered, no response) as case events. Ids come from the case, so retries deduplicate.
 */
import type { TimelineEntry } from '../workflows/domain/case';
import { toIsoWithOffset } from '../workflows/domain/clock';
import type { EventPublisher } from './adapters/events';
import type { Notification, Notifier } from './adapters/notifications';
import { countCaseEvents, type CaseMetricsOptions } from './case-metrics';

export interface SurveyEventBatch {
  surveyId: string;
  caseId: string;
  kind: string;
  merchantId: string;
  timeZone: string;
  firstSequence: number;
  entries: TimelineEntry[];
}

export function createNotificationActivities(notifier: Notifier, events: EventPublisher, metrics?: CaseMetricsOptions) {
  return {
    async sendNotification(notification: Notification): Promise<void> {
      await notifier.send(notification);
    },
    /** Survey events belong to their case; their ids are the survey's own sequence, never the case's. */
    async publishSurveyEvents(batch: SurveyEventBatch): Promise<void> {
      await events.publish(batch.entries.map((entry, i) => ({
        id: `${batch.surveyId}:${batch.firstSequence + i}`,
        type: entry.type,
        caseId: batch.caseId,
        kind: batch.kind,
        merchantId: batch.merchantId,
        at: toIsoWithOffset(entry.at, batch.timeZone),
        data: { actor: entry.actor, ...(entry.data ?? {}) },
      })));
      countCaseEvents(batch, metrics);
    },
  };
}
