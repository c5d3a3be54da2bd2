/**
 * Rebuilds the case projection from Temporal (`npm run projection:rebuild`): every case the namespace still
 * holds, running or closed. A case's row comes from the snapshot its last event hand-off carried (read from
 * its history: no worker needed); a case started before hand-offs carried snapshots is asked through its
 * view Query instead (that needs a worker). Satisfaction comes from each closed case's survey. Rows only
 * move forward by revision, so a rebuild beside running workers never sets a case back.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { CASE_KINDS, ROLES, type Actor, type CaseKind, type Role } from '../workflows/domain/case';
import type { CaseSnapshotHandOff } from '../workflows/case-runtime';
import type { CaseEventHandOff, CaseHandOffRecord } from '../activities/events';
import type { CaseProjection } from '../activities/projection';
import { CaseKind as CaseKindKey } from '../workflows/search-attributes';
import { listExecutions } from '../api/visibility';
import { registryVersions } from '../api/document-store';
import { createApiContext } from '../api/context';
import { satisfactionOf } from '../api/satisfaction';

export interface RebuildReport {
  /** Cases whose row came from a snapshot in their history. */
  fromHistory: number;
  /** Cases asked through their view Query (started before snapshots). */
  fromQuery: number;
  /** Cases that could not be projected (no snapshot and no worker answered), by id. */
  skipped: string[];
}

const HAND_OFF_ACTIVITY = 'handOffCaseEvents';
/** The inline hand-off, a local activity: its history keeps a marker with the snapshot as its result. */
const INLINE_HAND_OFF_ACTIVITY = 'handOffCaseEventsInline';
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
/** Every case kind answers its view Query under this name. */
const VIEW_QUERY = 'view';

async function decode<T>(client: Client, payload: Payload): Promise<T> {
  let payloads = [payload];
  for (const codec of [...client.options.loadedDataConverter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  return defaultPayloadConverter.fromPayload<T>(payloads[0]);
}

/** What a recorded hand-off carried: a regular activity's input, or an inline one's result. */
async function recordedHandOff(client: Client, event: temporal.api.history.v1.IHistoryEvent): Promise<CaseHandOffRecord | null> {
  const scheduled = event.activityTaskScheduledEventAttributes;
  if (scheduled?.activityType?.name === HAND_OFF_ACTIVITY) {
    const payload = scheduled.input?.payloads?.[0];
    const handOff = payload ? await decode<CaseEventHandOff>(client, payload as Payload) : null;
    return handOff?.snapshot ? { merchantId: handOff.merchantId, timeZone: handOff.timeZone, snapshot: handOff.snapshot } : null;
  }
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return null;
  // The marker's data (written by the SDK, never encoded by the codec) names the activity; its result is the record.
  const data = marker.details?.data?.payloads?.[0];
  const result = marker.details?.result?.payloads?.[0];
  if (!data || !result || defaultPayloadConverter.fromPayload<{ activity_type?: string }>(data as Payload).activity_type !== INLINE_HAND_OFF_ACTIVITY) return null;
  return decode<CaseHandOffRecord | null>(client, result as Payload);
}

/** The last hand-off of the case's history that carried a snapshot, if any. */
async function lastHandOff(client: Client, caseId: string): Promise<CaseHandOffRecord | null> {
  const history = await client.workflow.getHandle(caseId).fetchHistory();
  const events = (history.events ?? []) as temporal.api.history.v1.IHistoryEvent[];
  for (let i = events.length - 1; i >= 0; i--) {
    const handOff = await recordedHandOff(client, events[i]);
    if (handOff) return handOff;
  }
  return null;
}

/** A snapshot built from the case's view Query (cases from before snapshots; needs a worker). */
async function snapshotFromQuery(client: Client, caseId: string, finished: boolean): Promise<{ snapshot: CaseSnapshotHandOff; merchantId: string; timeZone: string }> {
  const handle = client.workflow.getHandle(caseId);
  const view = await handle.query<Record<string, unknown>, [Actor]>(VIEW_QUERY, { keyId: 'projection', role: 'system', merchants: '*' });
  const allowedActions = {} as Record<Role, string[]>;
  for (const role of ROLES) {
    const seen = await handle.query<Record<string, unknown>, [Actor]>(VIEW_QUERY, { keyId: 'projection', role, merchants: '*' });
    allowedActions[role] = (seen.allowedActions as string[] | undefined) ?? [];
  }
  const deadlines = (view.deadlines as CaseSnapshotHandOff['visibility']['deadlines'] | undefined) ?? [];
  const owner = view.owner as CaseSnapshotHandOff['visibility']['owner'] | undefined;
  return {
    merchantId: String(view.merchantId), timeZone: String(view.timeZone),
    snapshot: {
      // Below any revision a hand-off will bring: the next real snapshot replaces it.
      revision: 0,
      view,
      visibility: {
        kind: view.kind as CaseKind, status: String(view.status), outcome: (view.outcome as string | null) ?? null, owner: owner ?? null,
        escalationLevel: Number(view.escalationLevel ?? 1), deadlines,
        ...(typeof view.priority === 'string' ? { priority: view.priority } : {}), ...(typeof view.orderId === 'string' ? { orderId: view.orderId } : {}),
      },
      allowedActions, finished,
    },
  };
}

export interface RebuildOptions {
  client: Client;
  namespace: string;
  taskQueue: string;
  projection: CaseProjection;
  /** Only the cases of this task queue (default: every case of the namespace). */
  onlyTaskQueue?: boolean;
  log?: (line: string) => void;
}

export async function rebuildProjection(deps: RebuildOptions): Promise<RebuildReport> {
  const { client, projection } = deps;
  const ctx = createApiContext({ client, namespace: deps.namespace, taskQueue: deps.taskQueue });
  const report: RebuildReport = { fromHistory: 0, fromQuery: 0, skipped: [] };
  const query = `CaseKind IN (${CASE_KINDS.map((k) => `'${k}'`).join(', ')})${deps.onlyTaskQueue ? ` AND TaskQueue = '${deps.taskQueue.replace(/'/g, '')}'` : ''}`;
  for await (const execution of listExecutions({ client, namespace: deps.namespace }, query)) {
    const caseId = execution.workflowId;
    const kind = execution.searchAttributes.get(CaseKindKey) as CaseKind | undefined;
    if (!kind) continue;
    try {
      const handOff = await lastHandOff(client, caseId);
      const finished = execution.status !== 'RUNNING';
      if (handOff) {
        await projection.record({
          caseId, kind, merchantId: handOff.merchantId, timeZone: handOff.timeZone, snapshot: { ...handOff.snapshot, finished: handOff.snapshot.finished || finished },
        });
        report.fromHistory++;
      } else {
        const asked = await snapshotFromQuery(client, caseId, finished);
        await projection.record({ caseId, kind, merchantId: asked.merchantId, timeZone: asked.timeZone, snapshot: asked.snapshot });
        report.fromQuery++;
      }
      const satisfaction = await satisfactionOf(ctx, caseId).catch(() => null);
      if (satisfaction && satisfaction.status !== 'scheduled') await projection.recordSatisfaction(caseId, satisfaction);
    } catch (err) {
      report.skipped.push(caseId);
      deps.log?.(`${caseId}: not projected (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return report;
}

/** `<kind>-registry:<id>`: the document registry's workflow ids (a legacy policy registry's too). */
const REGISTRY_ID = /^(calendar|policy-selection|policy)-registry:(.+)$/;

/**
 * Records every version of every running registry (policies, calendars, selection rules) in the projection,
 * which creates and reads take them from. Registries answer through Queries: a worker must run.
 */
export async function rebuildDocuments(deps: Omit<RebuildOptions, 'log'> & { log?: (line: string) => void }): Promise<{ versions: number; skipped: string[] }> {
  const { client, projection } = deps;
  const scope = deps.onlyTaskQueue ? ` AND TaskQueue = '${deps.taskQueue.replace(/'/g, '')}'` : '';
  const query = `WorkflowType IN ('documentRegistry', 'policyRegistry') AND ExecutionStatus = 'Running'${scope}`;
  let versions = 0;
  const skipped: string[] = [];
  for await (const execution of listExecutions({ client, namespace: deps.namespace }, query)) {
    const match = REGISTRY_ID.exec(execution.workflowId);
    if (!match) continue;
    const [, kind, id] = match;
    try {
      for (const record of await registryVersions<{ version: number }>(client.workflow.getHandle(execution.workflowId))) {
        await projection.recordDocument(kind, id, record);
        versions++;
      }
    } catch (err) {
      skipped.push(execution.workflowId);
      deps.log?.(`${execution.workflowId}: not recorded (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return { versions, skipped };
}
