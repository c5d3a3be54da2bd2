/**
 * Versioned documents (custom calendars, policy-selection rules) as the API reads and writes them:
 * one document-registry workflow each, queried for versions, published to with an Update-with-start.
 */
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  documentRegistry, documentRegistryWorkflowId, documentVersion, documentVersions, latestDocument, publishDocument,
  type DocumentKind, type DocumentVersion, type PublishDocumentRequest, type PublishDocumentResult,
} from '../workflows/document-registry';
import type { ApiContext } from './context';
import { listExecutions } from './visibility';
import { readThrough, recordPublished, recordedVersions } from './document-reads';

/** temporal.api.enums.v1.WorkflowExecutionStatus.RUNNING */
const WORKFLOW_RUNNING = 1;

export function readDocument<T>(ctx: ApiContext, kind: DocumentKind, id: string, version?: number): Promise<DocumentVersion<T> | null> {
  // Through the projection first: creates read calendars and selection rules with no worker running.
  return readThrough(ctx, kind, id, version, () => readFromRegistry<T>(ctx, kind, id, version));
}

async function readFromRegistry<T>(ctx: ApiContext, kind: DocumentKind, id: string, version?: number): Promise<DocumentVersion<T> | null> {
  try {
    return await ctx.temporal(() => {
      const handle = ctx.client.workflow.getHandle(documentRegistryWorkflowId(kind, id));
      return (version === undefined ? handle.query(latestDocument) : handle.query(documentVersion, version)) as Promise<DocumentVersion<T> | null>;
    });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    // A registry that was ended (terminated by an operator) holds no current document any more. Its status
    // comes from the raw description: decoding its memo could fail under a key this API lacks.
    const running = await ctx.temporal(() => ctx.client.workflowService.describeWorkflowExecution({
      namespace: ctx.namespace, execution: { workflowId: documentRegistryWorkflowId(kind, id) },
    })).then((d) => Number(d.workflowExecutionInfo?.status ?? WORKFLOW_RUNNING) === WORKFLOW_RUNNING, () => true);
    if (!running) return null;
    throw err;
  }
}

/** Every version's number and publish time, oldest first; null for a document never published. */
export async function listDocumentVersions(ctx: ApiContext, kind: DocumentKind, id: string): Promise<Array<Omit<DocumentVersion, 'content'>> | null> {
  const recorded = await recordedVersions<DocumentVersion>(ctx, kind, id);
  if (recorded) return recorded.map(({ version, publishedAt, publishedBy }) => ({ version, publishedAt, publishedBy }));
  try {
    return await ctx.temporal(() => ctx.client.workflow.getHandle(documentRegistryWorkflowId(kind, id)).query(documentVersions));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** `initialVersions`: what a registry started by this publish holds before it (a built-in's own version 1). */
export async function publishDocumentVersion(
  ctx: ApiContext, kind: DocumentKind, id: string, request: PublishDocumentRequest, updateId: string, initialVersions: DocumentVersion[] = [],
): Promise<PublishDocumentResult> {
  const result = await ctx.temporal(() => ctx.client.workflow.executeUpdateWithStart(publishDocument, {
    args: [request],
    updateId,
    startWorkflowOperation: new WithStartWorkflowOperation(documentRegistry, {
      workflowId: documentRegistryWorkflowId(kind, id),
      taskQueue: ctx.taskQueue,
      args: [{ kind, id, versions: initialVersions }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { documentId: id },
    }),
  }));
  await recordPublished(ctx, kind, id, result.record);
  return result;
}

/**
 * Every version a registry holds, oldest first, asked through its Queries (`versions`, then each `version`):
 * the document registry and the legacy policy registry answer both alike. A worker must run.
 */
export async function registryVersions<T>(handle: WorkflowHandle, ask: <R>(call: () => Promise<R>) => Promise<R> = (call) => call()): Promise<T[]> {
  const summaries = await ask(() => handle.query<Array<{ version: number }>>('versions'));
  const records: T[] = [];
  for (const { version } of summaries) {
    const record = await ask(() => handle.query<T | null, [number]>('version', version));
    if (record) records.push(record);
  }
  return records;
}

/** Ids of published documents of a kind (visibility is eventually consistent). */
export async function listDocuments(ctx: ApiContext, kind: DocumentKind): Promise<string[]> {
  return ctx.temporal(async () => {
    const ids: string[] = [];
    const prefix = documentRegistryWorkflowId(kind, '');
    for await (const execution of listExecutions(ctx, `WorkflowType = 'documentRegistry' AND ExecutionStatus = 'Running'`)) {
      if (execution.workflowId.startsWith(prefix)) ids.push(execution.workflowId.slice(prefix.length));
    }
    return ids.sort();
  });
}
