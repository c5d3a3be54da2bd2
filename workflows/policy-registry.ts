/**
 * The legacy policy registry: custom policies published before the one document registry took them
 * (workflows/document-registry.ts, kind `policy`, the same workflow id `policy-registry:<id>`). Running ones
 * keep answering their Queries until the policy's next publish moves its versions to the document registry
 * and ends this workflow (api/policy-store.ts); no new one is started. Kept registered for those.
 */
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, setHandler, upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import { RULE_FAILURES } from './domain/failures';
import type { Policy } from './domain/policy/types';
import { samePolicyContent, type PolicyDocument, type PolicyVersionRecord } from './domain/policy/resolve';
import { policyProblems } from './domain/policy/validate';

export const POLICY_REGISTRY_PREFIX = 'policy-registry:';
export const policyRegistryWorkflowId = (policyId: string): string => `${POLICY_REGISTRY_PREFIX}${policyId}`;

/** Past this many history events the registry continues as new (well below Temporal's limits). */
export const POLICY_REGISTRY_HISTORY_LIMIT = 2_000;

export interface PolicyRegistryInput {
  policyId: string;
  versions: PolicyVersionRecord[];
}

export interface PublishPolicyRequest {
  /** The resolved content (the API merged the document over its parent); the registry numbers it. */
  policy: Omit<Policy, 'version'>;
  document: PolicyDocument;
  publishedBy: string;
  /** Fingerprint of the HTTP request, returned so a replayed key with another body can be refused. */
  fingerprint: string;
}

export interface PublishPolicyResult {
  created: boolean;
  record: PolicyVersionRecord;
  fingerprint: string;
}

export interface PolicyVersionSummary {
  version: number;
  publishedAt: number;
  name: string;
}

export const publishPolicy = defineUpdate<PublishPolicyResult, [PublishPolicyRequest]>('publish');
export const latestPolicy = defineQuery<PolicyVersionRecord | null>('latest');
export const policyVersion = defineQuery<PolicyVersionRecord | null, [number]>('version');
export const policyVersions = defineQuery<PolicyVersionSummary[]>('versions');

export async function policyRegistry(input: PolicyRegistryInput): Promise<void> {
  const versions = [...input.versions];
  const latest = (): PolicyVersionRecord | null => versions[versions.length - 1] ?? null;

  setHandler(latestPolicy, latest);
  setHandler(policyVersion, (version) => versions.find((v) => v.version === version) ?? null);
  setHandler(policyVersions, () => versions.map(({ version, publishedAt, policy }) => ({ version, publishedAt, name: policy.name })));
  setHandler(
    publishPolicy,
    (req) => {
      const current = latest();
      if (current && samePolicyContent(current.policy, req.policy)) return { created: false, record: current, fingerprint: req.fingerprint };
      const version = (current?.version ?? 0) + 1;
      const record: PolicyVersionRecord = {
        version, publishedAt: Date.now(), publishedBy: req.publishedBy, policy: { ...req.policy, version }, document: req.document,
      };
      versions.push(record);
      upsertMemo({ policyName: record.policy.name, latestVersion: version });
      return { created: true, record, fingerprint: req.fingerprint };
    },
    {
      // A malformed policy never reaches history: cases started from it could not schedule deadlines.
      validator: (req) => {
        const problems = policyProblems(req.policy);
        if (req.policy.id !== input.policyId) problems.unshift(`policy id ${String(req.policy.id)} does not belong to registry ${input.policyId}`);
        if (problems.length > 0) {
          throw ApplicationFailure.create({ type: RULE_FAILURES.invalidInput, message: `invalid policy: ${problems.join('; ')}`, details: [{ problems }], nonRetryable: true });
        }
      },
    },
  );

  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > POLICY_REGISTRY_HISTORY_LIMIT);
  await condition(allHandlersFinished);
  await continueAsNew<typeof policyRegistry>({ policyId: input.policyId, versions });
}
