/**
 * Custom policies as the API reads and writes them: the document registry (one workflow per policy id, kind
 * `policy`) queried for versions, published to with an Update-with-start, listed through visibility; reads go
 * through the case projection first. Presets never touch Temporal.
 * Also the policy a new case gets when its request names none (`choosePolicyFor`, by the selection rules).
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  POLICY_REGISTRY_PREFIX, policyRegistryWorkflowId, type PolicyVersionSummary, type PublishPolicyRequest, type PublishPolicyResult,
} from '../workflows/policy-registry';
import type { DocumentVersion } from '../workflows/document-registry';
import type { PolicyContent } from '../workflows/domain/document-kinds';
import { resolvePolicy, type PolicyVersionRecord, type PolicyVersionSource } from '../workflows/domain/policy/resolve';
import { selectPolicyId, type Selection, type SelectionFacts, type SelectionRules } from '../workflows/domain/policy/select';
import type { ApiContext } from './context';
import { publishDocumentVersion, readDocument, registryVersions } from './document-store';
import { readThrough, recordedVersions } from './document-reads';
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

/** The workflow type policies were kept in before the one document registry took them (read until moved). */
const LEGACY_POLICY_REGISTRY = 'policyRegistry';

/** A version as either registry answers it: the document registry's `{ content: { policy, document } }`, or a legacy record. */
function policyRecordOf(answer: unknown): PolicyVersionRecord | null {
  if (!answer || typeof answer !== 'object') return null;
  const stored = answer as Partial<DocumentVersion<PolicyContent>> & Partial<PolicyVersionRecord>;
  if (stored.content) {
    const { version, publishedAt, publishedBy, content } = stored as DocumentVersion<PolicyContent>;
    return { version, publishedAt, publishedBy, policy: { ...content.policy, version } as PolicyVersionRecord['policy'], document: content.document };
  }
  return stored as PolicyVersionRecord;
}

/** Stored versions (null for an id never published): through the projection, else the policy's registry. */
export function registryPolicySource(ctx: ApiContext): PolicyVersionSource {
  return async (id, version) => policyRecordOf(await readThrough(ctx, 'policy', id, version, () => orNullWhenMissing(async () => {
    const handle = ctx.client.workflow.getHandle(policyRegistryWorkflowId(id));
    const answer = await ctx.temporal(() => (version === undefined ? handle.query<unknown>('latest') : handle.query<unknown, [number]>('version', version)));
    return policyRecordOf(answer);
  })));
}

export async function listPolicyVersions(ctx: ApiContext, id: string): Promise<PolicyVersionSummary[] | null> {
  const recorded = await recordedVersions<PolicyVersionRecord | DocumentVersion<PolicyContent>>(ctx, 'policy', id);
  if (recorded) {
    return recorded.map(policyRecordOf).map((r) => ({ version: r!.version, publishedAt: r!.publishedAt, name: r!.policy.name }));
  }
  const answer = await orNullWhenMissing(() => ctx.temporal(() => ctx.client.workflow.getHandle(policyRegistryWorkflowId(id)).query<Array<{ version: number; publishedAt: number; name?: string }>>('versions')));
  return answer?.map(({ version, publishedAt, name }) => ({ version, publishedAt, name: name ?? id })) ?? null;
}

/** Running registries with at least one version (visibility is eventually consistent: a fresh one may lag). */
export async function listCustomPolicies(ctx: ApiContext): Promise<CustomPolicySummary[]> {
  return ctx.temporal(async () => {
    const found = new Map<string, CustomPolicySummary>();
    const query = `WorkflowType IN ('${LEGACY_POLICY_REGISTRY}', 'documentRegistry') AND ExecutionStatus = 'Running'`;
    for await (const execution of listExecutions(ctx, query)) {
      if (!execution.workflowId.startsWith(POLICY_REGISTRY_PREFIX)) continue;
      const memo = (await execution.memo()) ?? {};
      const id = execution.workflowId.slice(POLICY_REGISTRY_PREFIX.length);
      if (typeof memo.latestVersion === 'number' && memo.latestVersion >= 1) {
        found.set(id, { id, name: typeof memo.policyName === 'string' ? memo.policyName : id, latestVersion: memo.latestVersion });
      }
    }
    return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
  });
}

/**
 * A policy still in a legacy `policyRegistry` moves to the document registry at its next publish: its
 * versions become the new registry's first ones (numbers kept), and the legacy workflow ends.
 */
async function legacyVersions(ctx: ApiContext, policyId: string): Promise<DocumentVersion[]> {
  const workflowId = policyRegistryWorkflowId(policyId);
  const described = await orNullWhenMissing(() => ctx.temporal(() => ctx.client.workflow.getHandle(workflowId).describe()));
  if (!described || described.type !== LEGACY_POLICY_REGISTRY || described.status.name !== 'RUNNING') return [];
  const handle = ctx.client.workflow.getHandle(workflowId);
  const records = (await registryVersions<unknown>(handle, (call) => ctx.temporal(call))).map(policyRecordOf).flatMap((record) => (record
    ? [{ version: record.version, publishedAt: record.publishedAt, publishedBy: record.publishedBy, content: { policy: record.policy, document: record.document } }]
    : []));
  await ctx.temporal(() => handle.terminate('policy moved to the document registry (its versions carried over)'));
  return records;
}

/** Publishes a version; starts the policy's registry on first use. `updateId` carries the idempotency. */
export async function publishPolicyVersion(ctx: ApiContext, policyId: string, request: PublishPolicyRequest, updateId: string): Promise<PublishPolicyResult> {
  const carried = await legacyVersions(ctx, policyId);
  const content: PolicyContent = { policy: request.policy, document: request.document };
  const result = await publishDocumentVersion(ctx, 'policy', policyId, {
    content, publishedBy: request.publishedBy, fingerprint: request.fingerprint,
  }, updateId, carried);
  const record = policyRecordOf(result.record)!;
  return { created: result.created, record, fingerprint: result.fingerprint };
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
