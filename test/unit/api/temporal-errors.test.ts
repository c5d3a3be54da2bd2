/**
 * How the edge answers what Temporal says, with a fake client whose handles throw the SDK's own error
 * classes: rule failures from Update validators (409/403/422/400), unknown or foreign cases (404 before
 * 403), reused idempotency keys (422), a finished workflow (409 closed), no worker in time (503), and
 * Temporal's update limits (429). Real flows against a server are in test/integration.
 */
import { ApplicationFailure, ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../api/idempotency';
import { problemFromError } from '../../../api/problems';
import { RULE_FAILURES } from '../../../workflows/domain/failures';
import { auth, createBody, testApp } from './fixture';

const CASE_ID = `as_${'b'.repeat(32)}`;

interface FakeCase {
  memo?: Record<string, unknown>;
  describe?: () => Promise<unknown>;
  update?: (args: unknown[], updateId: string) => Promise<unknown>;
  query?: () => Promise<unknown>;
  start?: () => Promise<unknown>;
}

function fakeClient(c: FakeCase): Client & { updates: Array<{ args: unknown[]; updateId: string }> } {
  const updates: Array<{ args: unknown[]; updateId: string }> = [];
  const handle = {
    describe: c.describe ?? (async () => ({ memo: c.memo ?? { merchantId: 'm-a' }, status: { name: 'RUNNING' } })),
    executeUpdate: async (_def: unknown, options: { args: unknown[]; updateId: string }) => {
      updates.push(options);
      if (!c.update) throw new Error('no update expected');
      return c.update(options.args, options.updateId);
    },
    query: c.query ?? (async () => { throw new Error('no query expected'); }),
  };
  return {
    updates,
    connection: { withDeadline: (_deadline: number, call: () => Promise<unknown>) => call() },
    workflow: {
      // No policy-selection rules were published: their registry does not exist.
      getHandle: (id: string) => (id.startsWith('policy-selection-registry:')
        ? { query: async () => { throw new WorkflowNotFoundError('not found', id, undefined); } }
        : handle),
      start: c.start ?? (async () => { throw new Error('no start expected'); }),
    },
  } as unknown as Client & { updates: typeof updates };
}

const ruleFailure = (type: string, message: string, extensions: Record<string, unknown> = {}) =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message, details: [extensions], nonRetryable: true }));

describe('actions against Temporal answers', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const act = async (client: Client, key: string, action: string, payload: object, idempotencyKey = 'k-1') => {
    app = await testApp({ client });
    return app.inject({ method: 'POST', url: `/v1/after-sales/${CASE_ID}/actions/${action}`, headers: { ...auth(key), 'idempotency-key': idempotencyKey }, payload });
  };

  it('answers 404 for an unknown case even when the role could never act (404 before 403)', async () => {
    const client = fakeClient({ describe: async () => { throw new WorkflowNotFoundError('not found', CASE_ID, undefined); } });
    const res = await act(client, 'dev-agent', 'approve', { actorRef: 'p-1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().type).toBe('/problems/not-found');
  });

  it('answers 404 for a case of a merchant outside the key scope, never hinting it exists', async () => {
    const client = fakeClient({ memo: { merchantId: 'm-b' } });
    const res = await act(client, 'dev-merchant-a', 'approve', { actorRef: 'p-1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toBe(`No after-sale case ${CASE_ID}`);
    expect(client.updates).toHaveLength(0);
  });

  it('answers 403 for a role outside the action table, without sending the update', async () => {
    const client = fakeClient({});
    for (const [key, action, body] of [['dev-agent', 'approve', { actorRef: 'p-1' }], ['dev-channel', 'reject', { reason: 'x' }], ['dev-merchant-a', 'rule', { actorRef: 'p', decision: 'reject' }], ['dev-merchant-a', 'approve-refund', { actorRef: 'p' }]] as const) {
      const res = await act(client, key, action, body);
      expect(res.statusCode, `${key} ${action}`).toBe(403);
      expect(res.json().type).toBe('/problems/forbidden');
      await app?.close();
      app = undefined;
    }
    expect(client.updates).toHaveLength(0);
  });

  it('sends the actor, input and fingerprint with a hashed update id; a view off its schema is a 500, not a leak', async () => {
    const view = { id: CASE_ID, timeZone: 'Asia/Shanghai' };
    const client = fakeClient({ update: async (args) => ({ view, fingerprint: (args[0] as { fingerprint: string }).fingerprint }) });
    const res = await act(client, 'dev-merchant-a', 'reject', { reason: 'used item', actorRef: 'p-7' });
    // The fake view is not a full view: the response schema refuses it, which proves views are checked on the way out.
    expect(res.statusCode).toBe(500);
    const [sent] = client.updates;
    expect(sent.updateId).toMatch(/^upd_[0-9a-f]{64}$/);
    expect(sent.args[0]).toEqual({
      action: 'reject',
      actor: { keyId: 'dev-merchant-a', role: 'merchant', merchants: ['m-a'], actorRef: 'p-7' },
      input: { reason: 'used item' },
      fingerprint: fingerprint({ reason: 'used item', actorRef: 'p-7' }),
    });
  });

  it('answers 422 idempotency-key-reused when the first request under this key had another body', async () => {
    const client = fakeClient({ update: async () => ({ view: {}, fingerprint: 'a-different-request' }) });
    const res = await act(client, 'dev-merchant-a', 'reject', { reason: 'other reason' });
    expect(res.statusCode).toBe(422);
    expect(res.json().type).toBe('/problems/idempotency-key-reused');
  });

  it('maps validator failures: 409 with state extensions, 403 four-eyes, 422 not-eligible, 400 invalid', async () => {
    const cases = [
      [ruleFailure(RULE_FAILURES.actionNotAllowed, 'approve is not allowed while the case is refunding', { caseStatus: 'refunding', action: 'approve', allowedActions: ['add-note'] }), 409, 'action-not-allowed'],
      [ruleFailure(RULE_FAILURES.forbidden, 'four-eyes rule', { rule: 'four-eyes' }), 403, 'forbidden'],
      [ruleFailure(RULE_FAILURES.notEligible, 'above cap', { rule: 'refund-above-cap' }), 422, 'not-eligible'],
      [ruleFailure(RULE_FAILURES.invalidInput, 'reject needs a reason'), 400, 'invalid-request'],
    ] as const;
    for (const [failure, status, slug] of cases) {
      const res = await act(fakeClient({ update: async () => { throw failure; } }), 'dev-merchant-a', 'approve', { actorRef: 'p-1' });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ type: `/problems/${slug}`, detail: failure.cause!.message, ...(failure.cause as ApplicationFailure).details![0] as object });
      await app?.close();
      app = undefined;
    }
  });

  it('answers 409 with no allowed actions when the case workflow has finished', async () => {
    const client = fakeClient({ update: async () => { throw new WorkflowNotFoundError('workflow execution already completed', CASE_ID, undefined); } });
    const res = await act(client, 'dev-merchant-a', 'approve', { actorRef: 'p-1' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ type: '/problems/action-not-allowed', caseStatus: 'closed', action: 'approve', allowedActions: [] });
  });

  it('answers 503 with retry-after when no worker answers in time', async () => {
    const timeout = new WorkflowUpdateRPCTimeoutOrCancelledError('timed out', { cause: Object.assign(new Error('deadline'), { code: 4, details: 'deadline', metadata: {} }) });
    const res = await act(fakeClient({ update: async () => { throw timeout; } }), 'dev-merchant-a', 'approve', { actorRef: 'p-1' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().type).toBe('/problems/temporal-unavailable');
  });
});

describe('create against Temporal answers', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers a create retry with another body 422 idempotency-key-reused', async () => {
    const client = fakeClient({
      start: async () => { throw new WorkflowExecutionAlreadyStartedError('already started', 'x', 'afterSale'); },
      memo: { requestFingerprint: fingerprint(createBody({ orderId: 'o-other' })), merchantId: 'm-a' },
    });
    app = await testApp({ client });
    const res = await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), 'idempotency-key': 'k' }, payload: createBody() });
    expect(res.statusCode).toBe(422);
    expect(res.json().type).toBe('/problems/idempotency-key-reused');
  });

  it('answers 422 not-eligible naming the rule for a refund above the cap, before starting anything', async () => {
    // No case under this key yet (a refused create first looks for one: a retry would be a replay).
    app = await testApp({ client: fakeClient({ describe: async () => { throw new WorkflowNotFoundError('not found', CASE_ID, undefined); } }) });
    const res = await app.inject({ method: 'POST', url: '/v1/after-sales', headers: { ...auth('dev-channel'), 'idempotency-key': 'k' }, payload: createBody({ requestedRefund: { amount: 99_999_999, currency: 'CNY' } }) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ type: '/problems/not-eligible', rule: 'refund-above-cap' });
  });
});

describe('problemFromError', () => {
  const grpc = (code: number) => new ServiceError('call failed', { cause: Object.assign(new Error(`grpc ${code}`), { code, details: '', metadata: {} }) });

  it('maps gRPC deadline and unavailable to 503, resource exhausted to 429, each with retry-after', () => {
    expect(problemFromError(grpc(4))).toMatchObject({ status: 503, slug: 'temporal-unavailable', headers: { 'retry-after': '5' } });
    expect(problemFromError(grpc(14))).toMatchObject({ status: 503, slug: 'temporal-unavailable' });
    expect(problemFromError(grpc(8))).toMatchObject({ status: 429, slug: 'rate-limited', headers: { 'retry-after': '1' } });
  });

  it('maps a query refused for want of a worker (FAILED_PRECONDITION, "no poller seen") to 503, never 500', () => {
    expect(problemFromError(grpc(9))).toMatchObject({ status: 503, slug: 'temporal-unavailable', headers: { 'retry-after': '5' } });
  });

  it('never leaks internals of unknown errors', () => {
    const problem = problemFromError(new TypeError('cannot read properties of undefined (reading secretThing)'));
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toMatch(/secretThing/);
  });
});
