/**
 * The fan-out of case events to their sinks (webhook subscriptions today, the projection later): a
 * publisher with sinks gets no POST from the case; each batch is handed to one delivery workflow per
 * (sink, case) with signalWithStart through the activity's own client, and `deliverCaseEvent` is the
 * activity those deliveries run, one event at a time. A publisher without sinks (the sandbox log) takes
 * the events directly, as before.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { EnqueueRequest, DeliveryInput } from '../workflows/webhook-delivery';
import { DeliveryState, MerchantId } from '../workflows/search-attributes';
import {
  DEFAULT_DELIVERY_POLICY, hasSinks, withSchemaVersion, type CaseEvent, type DeliveryPolicy, type EventPublisher, type NewCaseEvent,
} from './adapters/events';
import { countWebhookAttempt, type CaseMetricsOptions } from './case-metrics';

export const DELIVERY_WORKFLOW_TYPE = 'webhookDelivery';
/** The signal deliveries take events by (named here so the activity needs no workflow code). */
const ENQUEUE_SIGNAL = 'enqueueEvents';

/** `wh_<16 hex of sha256(sink id)>_` : every delivery of one sink starts so. */
export function deliveryIdPrefix(sinkId: string): string {
  return `wh_${createHash('sha256').update(sinkId).digest('hex').slice(0, 16)}_`;
}

/** The delivery workflow id of a (sink, case): deterministic, and no personal data (case ids carry none). */
export function deliveryWorkflowId(sinkId: string, caseId: string): string {
  return `${deliveryIdPrefix(sinkId)}${caseId}`;
}

export const DELIVERY_ID_PATTERN = /^wh_[0-9a-f]{16}_[A-Za-z0-9_:.-]{1,100}$/;

export function resolveDeliveryPolicy(...layers: Array<Partial<DeliveryPolicy> | undefined>): DeliveryPolicy {
  const policy = { ...DEFAULT_DELIVERY_POLICY };
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {}) as Array<[keyof DeliveryPolicy, number | undefined]>) {
      if (value !== undefined) policy[name] = value;
    }
  }
  if (policy.maximumIntervalMs < policy.initialIntervalMs) policy.maximumIntervalMs = policy.initialIntervalMs;
  return policy;
}

export interface HandOff {
  events: NewCaseEvent[];
  /** The case (all of these events' cases) has finished: deliveries may end once empty. */
  caseClosed?: { caseId: string; merchantId: string };
}

/**
 * Hands events to their sinks' deliveries (inside an activity: it uses the activity's client and task
 * queue), or publishes them directly when the publisher has no sinks.
 */
export async function handOffEvents(publisher: EventPublisher, override: Partial<DeliveryPolicy> | undefined, handOff: HandOff): Promise<void> {
  if (!hasSinks(publisher)) {
    if (handOff.events.length > 0) await publisher.publish(handOff.events);
    return;
  }
  const policy = resolveDeliveryPolicy(publisher.delivery, override);
  const context = Context.current();
  const { client } = context;
  const taskQueue = context.info.taskQueue;
  const events = handOff.events.map(withSchemaVersion);
  const groups = new Map<string, { sinkId: string; caseId: string; merchantId: string; events: CaseEvent[] }>();
  for (const event of events) {
    for (const sink of publisher.sinks) {
      if (!sink.accepts(event)) continue;
      const id = deliveryWorkflowId(sink.id, event.caseId);
      const group = groups.get(id) ?? { sinkId: sink.id, caseId: event.caseId, merchantId: event.merchantId, events: [] };
      group.events.push(event);
      groups.set(id, group);
    }
  }
  const closed = handOff.caseClosed;
  for (const [workflowId, group] of groups) {
    const request: EnqueueRequest = { events: group.events, policy, ...(closed?.caseId === group.caseId ? { closed: true } : {}) };
    const input: DeliveryInput = { sinkId: group.sinkId, caseId: group.caseId, merchantId: group.merchantId, policy };
    await client.workflow.signalWithStart(DELIVERY_WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [input],
      signal: ENQUEUE_SIGNAL,
      signalArgs: [request],
      typedSearchAttributes: [{ key: MerchantId, value: group.merchantId }, { key: DeliveryState, value: 'delivering' }],
      memo: { sinkId: group.sinkId, caseId: group.caseId, parked: null, pendingEventIds: [], queued: 0 },
      staticSummary: `Webhook delivery of case ${group.caseId} to subscription ${group.sinkId}`,
    });
  }
  if (!closed) return;
  // Sinks that got nothing now may still have a delivery of this case waiting: tell it the case closed.
  const closing: CaseEvent = { id: `${closed.caseId}:closed`, schemaVersion: 1, type: 'case.closed', caseId: closed.caseId, kind: '', merchantId: closed.merchantId, at: '', data: {} };
  for (const sink of publisher.sinks) {
    const workflowId = deliveryWorkflowId(sink.id, closed.caseId);
    if (groups.has(workflowId) || !sink.accepts(closing)) continue;
    const request: EnqueueRequest = { events: [], closed: true, policy };
    await client.workflow.getHandle(workflowId).signal(ENQUEUE_SIGNAL, request).catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  }
}

export function createDeliveryActivities(publisher: EventPublisher, metrics?: CaseMetricsOptions) {
  return {
    /** One event to one sink; any failure is retried by the delivery's policy, then parks it. */
    async deliverCaseEvent(request: { sinkId: string; event: CaseEvent }): Promise<void> {
      const sink = hasSinks(publisher) ? publisher.sinks.find((s) => s.id === request.sinkId) : undefined;
      if (!sink) {
        throw ApplicationFailure.create({
          type: 'UnknownSubscription', nonRetryable: true,
          message: `No webhook subscription ${request.sinkId} in this worker's configuration (WEBHOOKS): add it back, then re-deliver`,
        });
      }
      await countWebhookAttempt(request.event, sink.deliver(withSchemaVersion(request.event)), metrics);
    },
  };
}
