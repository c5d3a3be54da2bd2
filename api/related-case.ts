/**
 * The customer journey at the edge: a case may be opened about another (`relatedCaseId`). The other case
 * must exist and belong to the same merchant; otherwise the request is refused without saying whether a
 * case of another merchant exists under that id.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import type { ApiContext } from './context';
import { Problem } from './problems';

export async function checkRelatedCase(ctx: ApiContext, merchantId: string, relatedCaseId: string | undefined): Promise<void> {
  if (relatedCaseId === undefined) return;
  let owner: unknown;
  try {
    owner = (await ctx.temporal(() => ctx.client.workflow.getHandle(relatedCaseId).describe())).memo?.merchantId;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  if (owner !== merchantId) {
    throw new Problem(422, 'not-eligible', `No case ${relatedCaseId} of merchant ${merchantId} to relate this one to`, { rule: 'unknown-related-case', relatedCaseId });
  }
}
