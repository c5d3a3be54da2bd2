/**
 * The typed client's own rules, against a small local HTTP server: one Idempotency-Key per operation kept
 * across retries (the caller's when given), 503/429 retried after retry-after, a retry-after beyond the
 * bound handed back as a ProblemError, network errors retried, other errors never; problem answers as
 * ProblemError; webhook signatures checked in constant time with rotation, returning the event id.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../activities/adapters/webhooks';
import { createCasesClient, ProblemError, retryAfterMs, verifyWebhook, WebhookSignatureError, type RetryInfo } from '../../../api/client';

type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
let server: Server;
let baseUrl: string;
let script: Answer[] = [];
let seen: Array<{ method: string; url: string; key?: string; body: string; auth?: string }> = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk) => { text += chunk; });
    request.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    seen.push({ method: request.method!, url: request.url!, body, key: request.headers['idempotency-key'] as string | undefined, auth: request.headers.authorization });
    const answer = script.shift() ?? { status: 200, body: { id: 'as_1', status: 'awaiting_merchant' } };
    const problem = answer.status >= 400;
    response.writeHead(answer.status, { 'content-type': problem ? 'application/problem+json' : 'application/json', 'x-request-id': 'req-1', ...answer.headers });
    response.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script = [];
  seen = [];
});

const unavailable = (retryAfter: string): Answer => ({ status: 503, headers: { 'retry-after': retryAfter }, body: { type: '/problems/temporal-unavailable', title: 'Temporal unavailable', status: 503, detail: 'retry' } });
const approve = (client: ReturnType<typeof createCasesClient>, init: Record<string, unknown> = {}) =>
  client.POST('/v1/after-sales/{id}/actions/approve', { params: { path: { id: 'as_1' } }, body: { actorRef: 'staff-1' }, ...init });

describe('one Idempotency-Key per operation, kept across its retries', () => {
  it('503 then 429 then 200: three attempts, one key, the waits retry-after asked for', async () => {
    script = [unavailable('0'), { status: 429, headers: { 'retry-after': '0' }, body: { type: '/problems/rate-limited', title: 'Too many requests', status: 429, detail: 'slow down' } }];
    const retries: RetryInfo[] = [];
    const client = createCasesClient({ baseUrl, apiKey: 'dev-merchant-a', onRetry: (info) => retries.push(info) });
    const answer = await approve(client);
    expect(answer).toMatchObject({ id: 'as_1' });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.map((s) => JSON.parse(s.body))).toEqual(Array(3).fill({ actorRef: 'staff-1' }));
    expect(seen[0]!.auth).toBe('Bearer dev-merchant-a');
    expect(retries.map((r) => [r.attempt, r.status, r.delayMs, r.idempotencyKey])).toEqual([[1, 503, 0, seen[0]!.key], [2, 429, 0, seen[0]!.key]]);
  });

  it('the caller\'s key is used as given; two operations get two keys', async () => {
    const client = createCasesClient({ baseUrl, apiKey: 'dev-merchant-a' });
    await approve(client, { headers: { 'idempotency-key': 'my-op-1' } });
    await approve(client);
    await approve(client);
    expect(seen.map((s) => s.key)[0]).toBe('my-op-1');
    expect(new Set(seen.map((s) => s.key)).size).toBe(3);
  });

  it('reads carry no key', async () => {
    const client = createCasesClient({ baseUrl, apiKey: 'dev-agent' });
    await client.GET('/v1/after-sales/{id}', { params: { path: { id: 'as_1' } } });
    expect(seen[0]).toMatchObject({ method: 'GET', key: undefined });
  });

  it('a network error is retried with the same key', async () => {
    let failures = 1;
    const keys: Array<string | null> = [];
    const client = createCasesClient({
      baseUrl, apiKey: 'dev-merchant-a', retry: { baseDelayMs: 1 },
      fetch: async (request) => {
        keys.push(request.headers.get('idempotency-key'));
        if (failures-- > 0) throw new TypeError('fetch failed');
        return fetch(request);
      },
    });
    await approve(client);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(seen).toHaveLength(1);
  });
});

describe('bounded retries', () => {
  it('a retry-after beyond maxDelayMs ends the retries: the 503 is thrown with its retry-after', async () => {
    script = [unavailable('60')];
    const client = createCasesClient({ baseUrl, apiKey: 'dev-merchant-a', retry: { maxDelayMs: 2_000 } });
    const error = await approve(client).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 503, slug: 'temporal-unavailable', retryAfterMs: 60_000, requestId: 'req-1' });
    expect(seen).toHaveLength(1);
  });

  it('after its attempts the last answer is thrown', async () => {
    script = [unavailable('0'), unavailable('0'), unavailable('0')];
    const client = createCasesClient({ baseUrl, apiKey: 'dev-merchant-a', retry: { attempts: 2 } });
    await expect(approve(client)).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(2);
  });

  it('4xx other than 429 and 500 are not retried', async () => {
    for (const status of [400, 409, 422, 500]) {
      script = [{ status, body: { type: `/problems/x${status}`, title: 'no', status, detail: `answer ${status}`, rule: 'r' } }];
      seen = [];
      const client = createCasesClient({ baseUrl, apiKey: 'dev-merchant-a' });
      await expect(approve(client)).rejects.toMatchObject({ status, detail: `answer ${status}`, extensions: { rule: 'r' } });
      expect(seen).toHaveLength(1);
    }
  });

  it('retry-after reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(new Date(Date.parse('2026-01-01T00:00:10Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('webhook signatures', () => {
  const event = { id: 'as_1:3', schemaVersion: 2, type: 'refund.succeeded', caseId: 'as_1', kind: 'after_sale', merchantId: 'm-a', at: '2026-11-22T16:40:00+08:00', data: { amount: 100 } };
  const body = JSON.stringify(event);

  it('a body signed with the secret gives the event and its id', () => {
    const verified = verifyWebhook(body, signBody(body, 'whsec-1'), 'whsec-1');
    expect(verified).toEqual(event);
    expect(verified.id).toBe('as_1:3');
    expect(verifyWebhook(Buffer.from(body), signBody(body, 'whsec-1'), 'whsec-1').id).toBe('as_1:3');
  });

  it('while rotating, either secret is accepted', () => {
    expect(verifyWebhook(body, signBody(body, 'old'), ['new', 'old']).id).toBe('as_1:3');
  });

  it('a changed body, another secret, a malformed or missing header are refused', () => {
    const signature = signBody(body, 'whsec-1');
    expect(() => verifyWebhook(body.replace('100', '999'), signature, 'whsec-1')).toThrow(WebhookSignatureError);
    expect(() => verifyWebhook(body, signature, 'whsec-2')).toThrow(/does not match/);
    expect(() => verifyWebhook(body, signature.slice(0, -2), 'whsec-1')).toThrow(/64 hex/);
    expect(() => verifyWebhook(body, undefined, 'whsec-1')).toThrow(WebhookSignatureError);
    expect(() => verifyWebhook('not json', signBody('not json', 'k'), 'k')).toThrow(/not JSON/);
  });
});
