/**
 * A case's satisfaction survey as supervisors see it (CSAT): read from the survey workflow the case started
 * at close (`<caseId>:survey`), never copied into the case. A finished survey answers from its result; a
 * running one from its status query. No comment leaves the survey: it may hold personal data.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import { surveyIdOf } from '../workflows/domain/survey/machine';
import type { SurveyStatus } from '../workflows/domain/survey/types';
import { surveyStatus, type SurveyOutcome } from '../workflows/survey';
import type { ApiContext } from './context';

export interface Satisfaction {
  surveyId: string;
  /** `scheduled` (waiting to be sent), `sent`, `answered`, or `expired` (no answer in time). */
  status: SurveyStatus;
  score: number | null;
}

/** The case's survey, or null when none was started (the case is open, or was surveyed elsewhere). */
export async function satisfactionOf(ctx: ApiContext, caseId: string): Promise<Satisfaction | null> {
  const surveyId = surveyIdOf(caseId);
  const handle = ctx.client.workflow.getHandle(surveyId);
  try {
    const { status } = await ctx.temporal(() => handle.describe());
    if (status.name === 'COMPLETED') {
      const outcome = await ctx.temporal(() => handle.result() as Promise<SurveyOutcome>);
      return { surveyId, status: outcome.result === 'score' ? 'answered' : 'expired', score: outcome.score };
    }
    if (status.name !== 'RUNNING') return null;
    const view = await ctx.temporal(() => handle.query(surveyStatus, undefined));
    return { surveyId, status: view.status, score: view.score ?? null };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** Runs `work` over `items`, at most `width` at a time, keeping order. */
export async function mapLimited<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}
