/**
 * A satisfaction survey's record events, as the projection keeps them on its case's row: sent, then
 * answered with a score or expired without one. No comment is kept: it may hold personal data.
 */
import type { NewCaseEvent } from '../adapters/events';
import type { CaseProjection, ProjectedSatisfaction } from './store';

export function satisfactionOf(event: Pick<NewCaseEvent, 'type' | 'data'>): ProjectedSatisfaction | null {
  const surveyId = typeof event.data.surveyId === 'string' ? event.data.surveyId : null;
  if (!surveyId) return null;
  if (event.type === 'survey.sent' || event.type === 'survey.reminded') return { surveyId, status: 'sent', score: null };
  if (event.type !== 'survey.recorded') return null;
  if (event.data.result === 'score' && typeof event.data.score === 'number') return { surveyId, status: 'answered', score: event.data.score };
  return { surveyId, status: 'expired', score: null };
}

export async function recordSurveyEvents(projection: CaseProjection, events: readonly NewCaseEvent[]): Promise<void> {
  for (const event of events) {
    const satisfaction = satisfactionOf(event);
    if (satisfaction) await projection.recordSatisfaction(event.caseId, satisfaction);
  }
}
