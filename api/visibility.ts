/**
 * Lists workflow executions from Temporal visibility without decoding their memo: lists and reports read
 * only ids, status, start time and search attributes, which are never encrypted. One case whose memo is
 * under a key this API lacks (a rotation in progress, a key retired while its cases are retained) must
 * not fail a whole list or report.
 */
import type { TypedSearchAttributes } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { tsToDate } from '@temporalio/common/lib/time';
import type { Client } from '@temporalio/client';

/** temporal.api.enums.v1.WorkflowExecutionStatus, by number. */
const STATUS_NAMES = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'] as const;
export type ExecutionStatusName = (typeof STATUS_NAMES)[number];

export interface ListedExecution {
  workflowId: string;
  status: ExecutionStatusName;
  startTime: Date;
  searchAttributes: TypedSearchAttributes;
  /** The decoded memo, or undefined when it cannot be decoded here (then the caller skips what it needs from it). */
  memo(): Promise<Record<string, unknown> | undefined>;
}

/** Every execution matching `query`, page by page (from the API, call it inside `ctx.temporal` for its deadline). */
export async function* listExecutions(ctx: { client: Client; namespace: string }, query: string): AsyncGenerator<ListedExecution> {
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await ctx.client.workflowService.listWorkflowExecutions({ namespace: ctx.namespace, query, ...(nextPageToken ? { nextPageToken } : {}) });
    for (const raw of page.executions ?? []) {
      yield {
        workflowId: raw.execution?.workflowId ?? '',
        status: STATUS_NAMES[Number(raw.status ?? 0)] ?? 'UNSPECIFIED',
        startTime: tsToDate(raw.startTime!),
        searchAttributes: decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields),
        memo: () => decodeMapFromPayloads(ctx.client.options.loadedDataConverter, raw.memo?.fields).catch(() => undefined),
      };
    }
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
}
