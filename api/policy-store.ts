/**
 * Custom policies as the API reads and writes them: registry workflows (one per policy id) queried for
 * versions, published to with an Update-with-start, listed through visibility. Presets never touch Temporal.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  latestPolicy, policyRegistry, policyRegistryWorkflowId, policyVersion, policyVersions, publishPolicy,
  type PolicyVersionSummary, type PublishPolicyRequest, type PublishPolicyResult,
} from '../workflows/policy-registry';
import type { PolicyVersionRecord, PolicyVersionSource } from '../workflows/domain/policy/resolve';
import type { ApiContext } from './context';

export interface CustomPolicySummary {
  id: string;
  name: string;
  latestVersion: number;
}

async function orNullWhenMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** Stored versions from the registry workflows (null for an id never published). */
export function registryPolicySource(ctx: ApiContext): PolicyVersionSource {
  return (id, version) => orNullWhenMissing(() => ctx.temporal(() => {
    const handle = ctx.client.workflow.getHandle(policyRegistryWorkflowId(id));
    return version === undefined ? handle.query(latestPolicy) : handle.query(policyVersion, version);
  }));
}

export function listPolicyVersions(ctx: ApiContext, id: string): Promise<PolicyVersionSummary[] | null> {
  return orNullWhenMissing(() => ctx.temporal(() => ctx.client.workflow.getHandle(policyRegistryWorkflowId(id)).query(policyVersions)));
}

/** Running registries with at least one version (visibility is eventually consistent: a fresh one may lag). */
export async function listCustomPolicies(ctx: ApiContext): Promise<CustomPolicySummary[]> {
  return ctx.temporal(async () => {
    const found: CustomPolicySummary[] = [];
    const query = `WorkflowType = 'policyRegistry' AND ExecutionStatus = 'Running'`;
    for await (const execution of ctx.client.workflow.list({ query })) {
      const memo = execution.memo ?? {};
      const id = typeof memo.policyId === 'string' ? memo.policyId : null;
      if (id && typeof memo.latestVersion === 'number' && memo.latestVersion >= 1) {
        found.push({ id, name: typeof memo.policyName === 'string' ? memo.policyName : id, latestVersion: memo.latestVersion });
      }
    }
    return found.sort((a, b) => a.id.localeCompare(b.id));
  });
}

/** Publishes a version; starts the policy's registry on first use. `updateId` carries the idempotency. */
export function publishPolicyVersion(ctx: ApiContext, policyId: string, request: PublishPolicyRequest, updateId: string): Promise<PublishPolicyResult> {
  return ctx.temporal(() => ctx.client.workflow.executeUpdateWithStart(publishPolicy, {
    args: [request],
    updateId,
    startWorkflowOperation: new WithStartWorkflowOperation(policyRegistry, {
      workflowId: policyRegistryWorkflowId(policyId),
      taskQueue: ctx.taskQueue,
      args: [{ policyId, versions: [] }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { policyId },
    }),
  }));
}

export type { PolicyVersionRecord };
