/**
 * A versioned document registry: one workflow per document (a business calendar, the policy-selection
 * rules), each publish a new version unless the content is identical, every version kept. Validation
 * happens at the edge and again in the domain function named by the document kind.
 */
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, setHandler, upsertMemo, workflowInfo,
} from '@temporalio/workflow';
import { canonicalJson } from './domain/canonical-json';
import { validateCalendar } from './domain/clock';
import { RULE_FAILURES } from './domain/failures';
import { selectionRuleProblems } from './domain/policy/select';

export type DocumentKind = 'calendar' | 'policy-selection';

export const documentRegistryWorkflowId = (kind: DocumentKind, id: string): string => `${kind}-registry:${id}`;

export interface DocumentVersion<T = unknown> {
  version: number;
  publishedAt: number;
  publishedBy: string;
  content: T;
}

export interface PublishDocumentRequest {
  content: unknown;
  publishedBy: string;
  fingerprint: string;
  /** Publish only if the latest version is still this one (0: none yet); else `StaleDocumentVersion`. */
  expectedVersion?: number;
}

/** The failure type of a publish whose `expectedVersion` is no longer the latest: read again and retry. */
export const STALE_DOCUMENT_VERSION = 'StaleDocumentVersion';

export interface PublishDocumentResult {
  created: boolean;
  record: DocumentVersion;
  fingerprint: string;
}

export interface DocumentRegistryInput {
  kind: DocumentKind;
  id: string;
  versions: DocumentVersion[];
}

export const publishDocument = defineUpdate<PublishDocumentResult, [PublishDocumentRequest]>('publish');
export const latestDocument = defineQuery<DocumentVersion | null>('latest');
export const documentVersion = defineQuery<DocumentVersion | null, [number]>('version');
/** Every version's number, publish time and publisher (contents through `version`). */
export const documentVersions = defineQuery<Array<Omit<DocumentVersion, 'content'>>>('versions');

function problemsOf(kind: DocumentKind, content: unknown): string[] {
  return kind === 'calendar' ? validateCalendar(content) : selectionRuleProblems(content);
}

export async function documentRegistry(input: DocumentRegistryInput): Promise<void> {
  const versions = [...input.versions];
  const latest = (): DocumentVersion | null => versions[versions.length - 1] ?? null;
  setHandler(latestDocument, latest);
  setHandler(documentVersion, (version) => versions.find((v) => v.version === version) ?? null);
  setHandler(documentVersions, () => versions.map(({ version, publishedAt, publishedBy }) => ({ version, publishedAt, publishedBy })));
  setHandler(
    publishDocument,
    (req) => {
      const current = latest();
      if (current && canonicalJson(current.content) === canonicalJson(req.content)) return { created: false, record: current, fingerprint: req.fingerprint };
      const record: DocumentVersion = { version: (current?.version ?? 0) + 1, publishedAt: Date.now(), publishedBy: req.publishedBy, content: req.content };
      versions.push(record);
      upsertMemo({ documentId: input.id, latestVersion: record.version });
      return { created: true, record, fingerprint: req.fingerprint };
    },
    {
      validator: (req) => {
        const latestVersion = latest()?.version ?? 0;
        if (req.expectedVersion !== undefined && req.expectedVersion !== latestVersion) {
          throw ApplicationFailure.create({ type: STALE_DOCUMENT_VERSION, message: `version ${req.expectedVersion} is no longer the latest (${latestVersion})`, nonRetryable: true });
        }
        const problems = problemsOf(input.kind, req.content);
        if (problems.length > 0) {
          throw ApplicationFailure.create({ type: RULE_FAILURES.invalidInput, message: `invalid ${input.kind}: ${problems.join('; ')}`, details: [{ problems }], nonRetryable: true });
        }
      },
    },
  );
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2_000);
  await condition(allHandlersFinished);
  await continueAsNew<typeof documentRegistry>({ ...input, versions });
}
