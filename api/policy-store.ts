/**
 * Custom policies as the API reads and writes them: registry workflows (one per policy id) queried for
 * versions, published to with an Update-with-start, listed through visibility. Presets never touch Temporal.
 * Also the policy a new case gets when its request names none (`choosePolicyFor`, by the selection rules).
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  latestPolicy, policyRegistry, policyRegistryWorkflowId, policyVersion, policyVersions, publishPolicy,
  type PolicyVersionSummary, type PublishPolicyRequest, type PublishPolicyResult,
} from '../workflows/policy-registry';
import { resolvePolicy, type PolicyVersionRecord, type PolicyVersionSource } from '../workflows/domain/policy/resolve';
import { selectPolicyId, type Selection, type SelectionFacts, type SelectionRules } from '../workflows/domain/policy/select';
import type { ApiContext } from './context';
import { readDocument } from './document-store';
import { readThrough, recordPublished } from './document-reads';
import { listExecutions } from './visibility';

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
  // Through the projection first: a create under a custom policy needs no worker.
  return (id, version) => readThrough(ctx, 'policy', id, version, () => orNullWhenMissing(() => ctx.temporal(() => {
    const handle = ctx.client.workflow.getHandle(policyRegistryWorkflowId(id));
    return version === undefined ? handle.query(latestPolicy) : handle.query(policyVersion, version);
  })));
}

export function listPolicyVersions(ctx: ApiContext, id: string): Promise<PolicyVersionSummary[] | null> {
  return orNullWhenMissing(() => ctx.temporal(() => ctx.client.workflow.getHandle(policyRegistryWorkflowId(id)).query(policyVersions)));
}

/** Running registries with at least one version (visibility is eventually consistent: a fresh one may lag). */
export async function listCustomPolicies(ctx: ApiContext): Promise<CustomPolicySummary[]> {
  return ctx.temporal(async () => {
    const found: CustomPolicySummary[] = [];
    const query = `WorkflowType = 'policyRegistry' AND ExecutionStatus = 'Running'`;
    for await (const execution of listExecutions(ctx, query)) {
      const memo = (await execution.memo()) ?? {};
      const id = typeof memo.policyId === 'string' ? memo.policyId : null;
      if (id && typeof memo.latestVersion === 'number' && memo.latestVersion >= 1) {
        found.push({ id, name: typeof memo.policyName === 'string' ? memo.policyName : id, latestVersion: memo.latestVersion });
      }
    }
    return found.sort((a, b) => a.id.localeCompare(b.id));
  });
}

/** Publishes a version; starts the policy's registry on first use. `updateId` carries the idempotency. */
export async function publishPolicyVersion(ctx: ApiContext, policyId: string, request: PublishPolicyRequest, updateId: string): Promise<PublishPolicyResult> {
  const result = await ctx.temporal(() => ctx.client.workflow.executeUpdateWithStart(publishPolicy, {
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
  await recordPublished(ctx, 'policy', policyId, result.record);
  return result;
}

/** The one policy-selection rules document (a singleton: one ordered list for the whole platform). */
export const SELECTION_RULES_ID = 'default';

/** Rules are read at most this often per API process: a newly published version applies within seconds. */
export const SELECTION_CACHE_MS = 2_000;
/** Past this age, stale rules are no longer served while a refresh is under way: the choice waits for it. */
export const SELECTION_STALE_LIMIT_MS = 60_000;

interface CachedRules {
  at: number;
  rules: SelectionRules['rules'];
  refreshing?: Promise<CachedRules>;
}
const selectionCache = new WeakMap<ApiContext, CachedRules>();
const firstReads = new WeakMap<ApiContext, Promise<CachedRules>>();

async function readRules(ctx: ApiContext): Promise<CachedRules> {
  const record = await readDocument<SelectionRules>(ctx, 'policy-selection', SELECTION_RULES_ID);
  const fresh = { at: Date.now(), rules: record?.content.rules ?? [] };
  selectionCache.set(ctx, fresh);
  return fresh;
}

/**
 * The rules to choose by. Fresh ones are served from memory; expired ones keep being served while one
 * refresh runs in the background, so no create waits on the registry once the process has read the rules
 * (the registry answers through a worker: waiting on it every few seconds was the create path's tail).
 */
async function selectionRules(ctx: ApiContext): Promise<SelectionRules['rules']> {
  const cached = selectionCache.get(ctx);
  if (!cached) {
    let first = firstReads.get(ctx);
    if (!first) {
      first = readRules(ctx).finally(() => firstReads.delete(ctx));
      firstReads.set(ctx, first);
    }
    return (await first).rules;
  }
  const age = Date.now() - cached.at;
  if (age <= SELECTION_CACHE_MS) return cached.rules;
  if (!cached.refreshing) {
    const refresh = readRules(ctx).catch((err: unknown) => {
      delete cached.refreshing;
      throw err;
    });
    // A failed background refresh is retried by the next choice; nobody waits on it unless the rules are too old.
    refresh.catch(() => undefined);
    cached.refreshing = refresh;
  }
  if (age > SELECTION_STALE_LIMIT_MS) return (await cached.refreshing).rules;
  return cached.rules;
}

/**
 * The policy a new case gets when its request names none: the first selection rule that matches the
 * facts (`rule` is its index), else the default preset cn-marketplace (no `rule`). Resolve the answer's
 * `policyId` as usual; a rule only ever names a policy that existed when the rules were published.
 */
export async function choosePolicyFor(ctx: ApiContext, facts: SelectionFacts): Promise<Selection> {
  return selectPolicyId(await selectionRules(ctx), facts);
}

/** After a publish: this process reads the new rules at the next choice. */
export function forgetSelectionRules(ctx: ApiContext): void {
  selectionCache.delete(ctx);
  firstReads.delete(ctx);
}

/** The ids among `ids` that name neither a preset nor a published custom policy. */
export async function unknownPolicyIds(ctx: ApiContext, ids: readonly string[]): Promise<string[]> {
  const source = registryPolicySource(ctx);
  const unknown = await Promise.all([...new Set(ids)].map(async (id) => ((await resolvePolicy(id, undefined, source)) ? [] : [id])));
  return unknown.flat();
}

export type { PolicyVersionRecord, Selection, SelectionFacts };
