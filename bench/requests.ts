/**
 * What the benchmarks send: the HTTP create body, and the raw `client.workflow.start` of the same case with
 * what the API's create computes (request, fingerprint, opening state's search attributes, memo, summary,
 * id policies), so the two sides of (a) start the same workflow with the same input, codec and attributes.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { fingerprint } from '../api/idempotency';
import { AFTER_SALE, afterSale } from '../workflows/after-sale';
import { caseIdOf } from '../workflows/domain/case-ids';
import { CN_MARKETPLACE } from '../workflows/domain/policy/presets';
import type { AfterSaleRequest } from '../workflows/domain/after-sale/types';

type Policy = AfterSaleRequest['policy'];

export function createBody(merchantId = 'm-a', type: AfterSaleRequest['type'] = 'return_and_refund') {
  return {
    merchantId, orderId: `order-${randomUUID().slice(0, 12)}`, customerRef: 'cust-bench', type, reason: 'quality' as const,
    items: [{ sku: 'shoe-42', quantity: 1, unitPrice: { amount: 19_900, currency: 'CNY' } }],
    order: { paidTotal: { amount: 20_900, currency: 'CNY' }, shippingFee: { amount: 1_000, currency: 'CNY' } },
  };
}

/** A policy whose merchant-response deadline passes after `seconds`: the case's default outcome runs then. */
export function quickPolicy(seconds: number): Policy {
  const deadlines = { ...CN_MARKETPLACE.afterSale.deadlines, merchantResponse: { amount: seconds, unit: 'seconds' as const } };
  return { ...CN_MARKETPLACE, id: `bench-${seconds}s`, afterSale: { ...CN_MARKETPLACE.afterSale, deadlines } };
}

export interface RawStartOptions {
  taskQueue: string;
  merchantId?: string;
  policy?: Policy;
  type?: AfterSaleRequest['type'];
}

/** Starts one after-sale as the API's create would (same request shape, attributes, memo); returns its id. */
export async function rawStart(client: Client, o: RawStartOptions): Promise<string> {
  const body = createBody(o.merchantId, o.type);
  const now = Date.now();
  const policy = o.policy ?? CN_MARKETPLACE;
  const requestFingerprint = fingerprint(body);
  const caseId = caseIdOf('after_sale', randomUUID().replace(/-/g, ''));
  const request: AfterSaleRequest = {
    caseId, merchantId: body.merchantId, orderId: body.orderId, customerRef: body.customerRef, type: body.type, reason: body.reason,
    items: body.items, order: body.order, requestedAt: now, openedAt: now, policy, requestFingerprint,
    createdBy: { keyId: 'dev-channel', role: 'channel', merchants: '*' },
  };
  const opened = AFTER_SALE.open(request, now);
  await client.workflow.start(afterSale, {
    workflowId: caseId, taskQueue: o.taskQueue, args: [request],
    memo: { requestFingerprint, merchantId: body.merchantId },
    typedSearchAttributes: AFTER_SALE.startAttributes(request, opened),
    staticSummary: `After-sale ${body.type} (${body.reason}) · merchant ${body.merchantId} · order ${body.orderId} · policy ${policy.id} v${policy.version}`,
    workflowIdConflictPolicy: 'FAIL', workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  return caseId;
}
