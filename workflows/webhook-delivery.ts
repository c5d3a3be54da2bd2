/**
 * One delivery per (sink, case): a webhook subscription's queue of one case's events. The case hands its
 * events over (signal `enqueueEvents`, deduplicated by event id, so a retried hand-off adds nothing) and
 * never waits for them. Events go out one at a time, in order, each through an activity retried with
 * backoff up to `policy.maxAttempts`; when they are exhausted the queue is **parked** (search attribute
 * `DeliveryState = 'parked'`, the details in the memo) and later events of the case wait behind it until an
 * admin re-delivers (Update `redeliverParked`). The delivery ends when its queue is empty and the case said
 * it closed, or after `policy.idleTimeoutMs` with nothing to do; it continues as new before its history
 * grows large. Another sink (a projection) is another delivery of the same kind.
 */
import {
  ActivityFailure, ApplicationFailure, allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, defineUpdate,
  proxyActivities, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { CaseEvent, DeliveryPolicy } from '../activities/adapters/events';
import { DeliveryState, MerchantId } from './search-attributes';

/** Failure type of a re-delivery asked of a delivery that is not parked (the API answers 409). */
export const DELIVERY_NOT_PARKED = 'DeliveryNotParked';

export interface ParkedDelivery {
  /** Epoch ms when the attempts ran out. */
  since: number;
  /** The event at the head of the queue, which could not be delivered. */
  eventId: string;
  attempts: number;
  /** The last failure, without URLs or secrets. */
  error: string;
}

/** What a delivery carries over continue-as-new. */
export interface DeliveryCarry {
  queue: CaseEvent[];
  /** Per event stream (`<caseId>`, `<caseId>:survey`): the highest sequence admitted. */
  marks: Record<string, number>;
  closed: boolean;
  parked: ParkedDelivery | null;
  delivered: number;
  redeliveries: number;
}

export interface DeliveryInput {
  sinkId: string;
  caseId: string;
  merchantId: string;
  policy: DeliveryPolicy;
  carried?: DeliveryCarry;
}

export interface EnqueueRequest {
  events: CaseEvent[];
  /** The case has finished: the delivery may end once its queue is empty. */
  closed?: boolean;
  /** The worker's current settings; the delivery adopts them. */
  policy?: DeliveryPolicy;
}

export interface RedeliverRequest {
  /** Key id of the admin asking. */
  by: string;
  fingerprint: string;
}

export interface RedeliverResult {
  deliveryId: string;
  /** Events queued behind (and including) the parked one, delivered in order from now on. */
  queued: number;
  eventIds: string[];
  resumedAt: number;
  fingerprint: string;
}

export interface DeliveryStatus {
  sinkId: string;
  caseId: string;
  merchantId: string;
  state: 'delivering' | 'parked' | 'idle';
  queued: number;
  delivered: number;
  closed: boolean;
  parked: ParkedDelivery | null;
}

/** What the memo shows to lists (the API's parked deliveries) without a worker. */
export interface DeliveryMemo {
  sinkId: string;
  caseId: string;
  parked: ParkedDelivery | null;
  /** Event ids waiting (first 50), head first. */
  pendingEventIds: string[];
  queued: number;
}

export const enqueueEvents = defineSignal<[EnqueueRequest]>('enqueueEvents');
export const redeliverParked = defineUpdate<RedeliverResult, [RedeliverRequest]>('redeliverParked');
export const deliveryStatus = defineQuery<DeliveryStatus>('deliveryStatus');

/** `<stream>:<n>` → stream and sequence; any other id is a stream of its own with sequence 0. */
export function eventSequence(id: string): { stream: string; sequence: number } {
  const match = /^(.*):(\d+)$/.exec(id);
  return match ? { stream: match[1], sequence: Number(match[2]) } : { stream: id, sequence: 0 };
}

/** Appends the events not admitted before (by id sequence per stream), keeping their order. Pure. */
export function admitEvents(queue: readonly CaseEvent[], marks: Readonly<Record<string, number>>, events: readonly CaseEvent[]) {
  const nextQueue = [...queue];
  const nextMarks = { ...marks };
  for (const event of events) {
    const { stream, sequence } = eventSequence(event.id);
    const mark = nextMarks[stream];
    if (mark !== undefined && sequence <= mark) continue;
    nextMarks[stream] = sequence;
    nextQueue.push(event);
  }
  return { queue: nextQueue, marks: nextMarks };
}

const MEMO_EVENT_IDS = 50;
const ERROR_LENGTH = 300;

function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause ?? err : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.slice(0, ERROR_LENGTH);
}

export async function webhookDelivery(input: DeliveryInput): Promise<DeliveryStatus> {
  const carried = input.carried;
  let policy = input.policy;
  let queue: CaseEvent[] = carried?.queue ?? [];
  let marks: Record<string, number> = carried?.marks ?? {};
  let closed = carried?.closed ?? false;
  let parked: ParkedDelivery | null = carried?.parked ?? null;
  let delivered = carried?.delivered ?? 0;
  let redeliveries = carried?.redeliveries ?? 0;

  const status = (): DeliveryStatus => ({
    sinkId: input.sinkId, caseId: input.caseId, merchantId: input.merchantId,
    state: parked ? 'parked' : queue.length > 0 ? 'delivering' : 'idle', queued: queue.length, delivered, closed, parked,
  });
  const memo = (): DeliveryMemo => ({
    sinkId: input.sinkId, caseId: input.caseId, parked, pendingEventIds: queue.slice(0, MEMO_EVENT_IDS).map((e) => e.id), queued: queue.length,
  });
  const show = (state: 'delivering' | 'parked' | 'done') => {
    upsertSearchAttributes([{ key: DeliveryState, value: state }, { key: MerchantId, value: input.merchantId }]);
    upsertMemo({ ...memo() });
  };

  setHandler(deliveryStatus, status);
  setHandler(enqueueEvents, (request) => {
    ({ queue, marks } = admitEvents(queue, marks, request.events));
    if (request.closed) closed = true;
    if (request.policy) policy = request.policy;
    // A parked delivery shows what waits behind it.
    if (parked && request.events.length > 0) upsertMemo({ ...memo() });
  });
  setHandler(redeliverParked, (request) => {
    parked = null;
    redeliveries += 1;
    return { deliveryId: workflowInfo().workflowId, queued: queue.length, eventIds: queue.map((e) => e.id), resumedAt: Date.now(), fingerprint: request.fingerprint };
  }, {
    validator: (_request) => {
      if (!parked) throw ApplicationFailure.create({ type: DELIVERY_NOT_PARKED, message: 'This delivery is not parked: its events are being delivered', nonRetryable: true });
    },
  });

  show(parked ? 'parked' : 'delivering');
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > policy.historyLimit;
  const carryOn = async (): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof webhookDelivery>({ ...input, policy, carried: { queue, marks, closed, parked, delivered, redeliveries } });
  };

  for (;;) {
    if (parked) {
      await condition(() => parked === null || historyFull());
      if (parked) await carryOn();
      show('delivering');
      continue;
    }
    if (queue.length === 0) {
      if (closed) break;
      const more = await condition(() => queue.length > 0 || closed, policy.idleTimeoutMs);
      if (!more) break;
      continue;
    }
    if (historyFull()) await carryOn();
    const event = queue[0];
    const { deliverCaseEvent } = proxyActivities<CaseActivities>({
      startToCloseTimeout: '30 seconds',
      retry: {
        maximumAttempts: policy.maxAttempts, initialInterval: policy.initialIntervalMs, maximumInterval: policy.maximumIntervalMs, backoffCoefficient: 2,
      },
    });
    try {
      await deliverCaseEvent({ sinkId: input.sinkId, event });
      queue = queue.slice(1);
      delivered += 1;
    } catch (err) {
      const nonRetryable = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable;
      parked = { since: Date.now(), eventId: event.id, attempts: nonRetryable ? 1 : policy.maxAttempts, error: failureMessage(err) };
      show('parked');
    }
  }

  await condition(allHandlersFinished);
  // A hand-off that raced the end is in the queue: deliver it in a next run rather than drop it.
  if (queue.length > 0) await carryOn();
  show('done');
  return status();
}
