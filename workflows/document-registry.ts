/**
 * The registry of versioned documents: one workflow per document (a custom policy, a business calendar,
 * the policy-selection rules), each publish a new version unless the content is the same, every version
 * kept. What differs per kind (validity, sameness, version stamp, memo) is in domain/document-kinds.ts;
 * validation happens at the edge and again here. Policies published before this registry took them live in
 * `policyRegistry` workflows until their next publish moves them here (api/policy-store.ts).
 */
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, setHandler, upsertMemo, workflowInfo,
} from '@temporalio/workflow';
import { DOCUMENT_KIND_RULES, type DocumentKind } from './domain/document-kinds';
import { RULE_FAILURES } from './domain/failures';

export type { DocumentKind } from './domain/document-kinds';

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
/** Every version's number, publish time and publisher, and a policy's name (contents through `version`). */
export const documentVersions = defineQuery<Array<Omit<DocumentVersion, 'content'> & { name?: string }>>('versions');

export async function documentRegistry(input: DocumentRegistryInput): Promise<void> {
  const versions = [...input.versions];
  const latest = (): DocumentVersion | null => versions[versions.length - 1] ?? null;
  setHandler(latestDocument, latest);
  setHandler(documentVersion, (version) => versions.find((v) => v.version === version) ?? null);
  const rules = DOCUMENT_KIND_RULES[input.kind];
  setHandler(documentVersions, () => versions.map(({ version, publishedAt, publishedBy, content }) => {
    const name = (content as { policy?: { name?: unknown } } | null)?.policy?.name;
    return { version, publishedAt, publishedBy, ...(typeof name === 'string' ? { name } : {}) };
  }));
  setHandler(
    publishDocument,
    (req) => {
      const current = latest();
      if (current && rules.same(current.content, req.content)) return { created: false, record: current, fingerprint: req.fingerprint };
      const version = (current?.version ?? 0) + 1;
      const record: DocumentVersion = { version, publishedAt: Date.now(), publishedBy: req.publishedBy, content: rules.stamp(req.content, version) };
      versions.push(record);
      upsertMemo(rules.memo(record.content, input.id, version));
      return { created: true, record, fingerprint: req.fingerprint };
    },
    {
      validator: (req) => {
        const latestVersion = latest()?.version ?? 0;
        if (req.expectedVersion !== undefined && req.expectedVersion !== latestVersion) {
          throw ApplicationFailure.create({ type: STALE_DOCUMENT_VERSION, message: `version ${req.expectedVersion} is no longer the latest (${latestVersion})`, nonRetryable: true });
        }
        const problems = rules.problems(req.content, input.id);
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
