/**
 * `/v1/sandbox/*` (admin): controls of the embedded default's sandbox adapters, to rehearse every outcome
 * against `npm start` over HTTP: payment faults (refuse, time out after committing, 500/429, for the next
 * calls or one case) and the ledger, the notification outbox, carrier tracking and inquiries, order-system
 * answers. Registered only when the app is given the worker's sandbox adapters in the same process and
 * NODE_ENV is not production; each group only for an adapter that really is the sandbox one. Elsewhere
 * these paths are unknown routes (404).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SandboxAdapters } from '../../worker/sandbox';
import { requireRole } from '../auth';
import { callerKey } from '../context';
import { isoInZone } from '../render';
import {
  addressChangesSchema, carrierInquiriesSchema, caseFilterQuery, faultBodySchema, ledgerSchema, notificationQuery, orderBodySchema,
  orderParams, orderSchema, outboxSchema, parcelBodySchema, parcelSchema, pendingFaultsSchema, trackingParams,
} from '../schemas/sandbox';
import { problemResponses } from '../schemas/shared';

const ZONE = 'Asia/Shanghai';
const TAGS = ['sandbox'];
const READ_PROBLEMS = problemResponses(400, 401, 403, 429);
const WRITE_PROBLEMS = problemResponses(400, 401, 403, 413, 415, 429);

/** Whether the app may offer sandbox controls at all: never in production. */
export function sandboxControlsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production';
}

export const sandboxRoutes: FastifyPluginAsyncZod<{ sandbox: Partial<SandboxAdapters> }> = async (app, { sandbox }) => {
  const admin = (request: Parameters<typeof callerKey>[0], what: string) => requireRole(callerKey(request), ['admin'], what);
  const { payments, notifications, logistics, orders } = sandbox;

  if (payments) {
    app.post('/v1/sandbox/payments/faults', {
      schema: {
        tags: TAGS, summary: 'Make the sandbox payment gateway fail its next calls, or one case\'s next refunds (admin, embedded default only)',
        body: faultBodySchema, response: { 200: pendingFaultsSchema, ...WRITE_PROBLEMS },
      },
    }, async (request) => {
      admin(request, 'control the sandbox');
      const { fault, times, caseId } = request.body;
      if (caseId) payments.injectFaultForCase(caseId, fault, times);
      else payments.injectFault(fault, times);
      return payments.pendingFaults();
    });

    app.delete('/v1/sandbox/payments/faults', {
      schema: { tags: TAGS, summary: 'Forget every payment fault not yet used (admin, embedded default only)', response: { 200: pendingFaultsSchema, ...READ_PROBLEMS } },
    }, async (request) => {
      admin(request, 'control the sandbox');
      payments.clearFaults();
      return payments.pendingFaults();
    });

    app.get('/v1/sandbox/payments/ledger', {
      schema: {
        tags: TAGS, summary: 'The sandbox payment ledger: committed refunds, every call and its answer, faults still waiting (admin, embedded default only)',
        querystring: caseFilterQuery, response: { 200: ledgerSchema, ...READ_PROBLEMS },
      },
    }, async (request) => {
      admin(request, 'read the sandbox');
      const { caseId } = request.query;
      const entries = caseId ? payments.entriesFor(caseId) : payments.entries();
      const keys = new Set(entries.map((e) => e.idempotencyKey));
      return {
        entries: entries.map((e) => ({ ...e, executedAt: isoInZone(e.executedAt, ZONE) })),
        calls: payments.calls.filter((c) => !caseId || keys.has(c.idempotencyKey) || c.idempotencyKey.includes(caseId)).map((c) => ({ ...c })),
        pendingFaults: payments.pendingFaults(),
      };
    });
  }

  if (notifications) {
    app.get('/v1/sandbox/notifications', {
      schema: {
        tags: TAGS, summary: 'The sandbox notification outbox: warnings, escalations, surveys sent (admin, embedded default only)',
        querystring: notificationQuery, response: { 200: outboxSchema, ...READ_PROBLEMS },
      },
    }, async (request) => {
      admin(request, 'read the sandbox');
      const sent = notifications.sent(request.query.caseId, request.query.type);
      return { notifications: sent.map((n) => ({ ...n, to: { ...n.to } as Record<string, unknown> })) };
    });
  }

  if (logistics) {
    app.put('/v1/sandbox/logistics/parcels/:trackingNumber', {
      schema: {
        tags: TAGS, summary: 'Decide what carrier tracking answers for a parcel (admin, embedded default only)',
        params: trackingParams, body: parcelBodySchema, response: { 200: parcelSchema, ...WRITE_PROBLEMS },
      },
    }, async (request) => {
      admin(request, 'control the sandbox');
      const at = request.body.lastEventAt ? Date.parse(request.body.lastEventAt) : Date.now();
      logistics.setParcel(request.params.trackingNumber, request.body.status, at);
      const { trackingNumber, status, lastEventAt } = await logistics.track(request.params.trackingNumber);
      return { trackingNumber, status, ...(lastEventAt !== undefined ? { lastEventAt: isoInZone(lastEventAt, ZONE) } : {}) };
    });

    app.get('/v1/sandbox/logistics/inquiries', {
      schema: {
        tags: TAGS, summary: 'Carrier inquiries and claims the cases opened (admin, embedded default only)',
        querystring: caseFilterQuery, response: { 200: carrierInquiriesSchema, ...READ_PROBLEMS },
      },
    }, async (request) => {
      admin(request, 'read the sandbox');
      return { inquiries: logistics.carrierInquiries(request.query.caseId).map((i) => ({ ...i })) };
    });
  }

  if (orders) {
    app.put('/v1/sandbox/orders/:orderId', {
      schema: {
        tags: TAGS, summary: 'Decide what the order system answers for an order: shipped, payment status (admin, embedded default only)',
        params: orderParams, body: orderBodySchema, response: { 200: orderSchema, ...WRITE_PROBLEMS },
      },
    }, async (request) => {
      admin(request, 'control the sandbox');
      const { shipped, paymentStatus } = request.body;
      orders.setOrder(request.params.orderId, { ...(shipped !== undefined ? { shipped } : {}), ...(paymentStatus ? { paymentStatus } : {}) });
      return orders.status('', request.params.orderId);
    });

    app.get('/v1/sandbox/orders/address-changes', {
      schema: {
        tags: TAGS, summary: 'Address changes the sandbox order system applied, without the addresses (admin, embedded default only)',
        querystring: orderParams.partial(), response: { 200: addressChangesSchema, ...READ_PROBLEMS },
      },
    }, async (request) => {
      admin(request, 'read the sandbox');
      return { changes: orders.addressChanges(request.query.orderId).map(({ id, merchantId, orderId }) => ({ id, merchantId, orderId })) };
    });
  }
};
