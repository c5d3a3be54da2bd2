/**
 * API fuzzing: 1,200 random and malformed requests across every route of the OpenAPI document (so new
 * routes are fuzzed as they land), with random keys, headers, ids and bodies, some derived from valid
 * ones. No answer may be a 5xx and none may hang. Loopback only, bounded in count and time.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient } from '../../support/http';
import { afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

const REQUESTS = 1_200;
let system: CaseSystem;
let operations: Array<{ method: string; path: string }> = [];
let knownIds: string[] = [];
let validBody: Record<string, unknown>;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'fuzz', temporalCallTimeoutMs: 5_000 });
  const api = apiClient(system.baseUrl);
  const policyId = await publishShortPolicy(api, {});
  validBody = afterSaleBody({ policyId });
  const created = await createAfterSale(api, validBody);
  knownIds = [created.id, policyId, 'cn-marketplace'];
  const spec = (await api.get('/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
}, 120_000);
afterAll(async () => system?.close());

const keys = fc.constantFrom(undefined, 'nope', 'Bearer', 'dev-admin', 'dev-supervisor', 'dev-agent', 'dev-arbiter', 'dev-channel', 'dev-merchant-a', 'dev-merchant-b');
const weirdString = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', '../../etc/passwd', '%00', 'as_', 'as_zz', 'a'.repeat(300), '{}', 'null', '🙂'),
);
const idFor = () => fc.oneof(fc.constantFrom(...knownIds), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 32 }).map((h) => `as_${h}`), weirdString);

function mutate(body: Record<string, unknown>): fc.Arbitrary<unknown> {
  const fields = Object.keys(body);
  return fc.oneof(
    fc.constant(body),
    fc.record({ drop: fc.constantFrom(...fields) }).map(({ drop }) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== drop))),
    fc.record({ field: fc.constantFrom(...fields), value: fc.jsonValue() }).map(({ field, value }) => ({ ...body, [field]: value })),
    fc.record({ extra: fc.string({ minLength: 1, maxLength: 10 }), value: fc.jsonValue() }).map(({ extra, value }) => ({ ...body, [extra]: value })),
  );
}

const request = () => fc.record({
  op: fc.constantFrom(...operations),
  params: fc.array(idFor(), { minLength: 3, maxLength: 3 }),
  key: keys,
  idempotencyKey: fc.option(fc.oneof(fc.uuid(), weirdString), { nil: undefined }),
  contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined),
  body: fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 3, arbitrary: mutate(validBody).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: weirdString },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ),
  query: fc.option(fc.dictionary(fc.constantFrom('kind', 'status', 'merchantId', 'pageSize', 'pageToken', 'breached', 'from', 'to', 'version'), weirdString), { nil: undefined }),
});

describe('API fuzzing', () => {
  it(`${REQUESTS} random and malformed requests: no 5xx, no hang`, async () => {
    expect(operations.length).toBeGreaterThan(10);
    const samples = fc.sample(request(), { numRuns: REQUESTS, seed: 20261122 });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const r of samples) {
      let i = 0;
      const path = r.op.path.replace(/:[A-Za-z]+|\{[A-Za-z]+\}/g, () => encodeURIComponent(String(r.params[i++ % 3])));
      const query = r.query ? `?${new URLSearchParams(r.query as Record<string, string>)}` : '';
      const headers: Record<string, string> = {};
      if (r.key !== undefined) headers.authorization = `Bearer ${r.key}`;
      if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey.replace(/[\r\n]/g, '');
      if (r.contentType && r.body !== undefined) headers['content-type'] = r.contentType;
      const hasBody = r.op.method !== 'GET' && r.op.method !== 'OPTIONS' && r.body !== undefined;
      let status: number;
      try {
        const response = await fetch(`${system.baseUrl}${path}${query}`, {
          method: r.op.method, headers, ...(hasBody ? { body: r.body } : {}), signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch (err) {
        if ((err as Error).name === 'TypeError' && /header|ByteString/i.test(String((err as Error).message))) continue; // fetch refused to send an illegal header
        failures.push(`${r.op.method} ${path}: ${(err as Error).name} ${(err as Error).message}`);
        continue;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) failures.push(`${r.op.method} ${path}${query} → ${status} (key ${r.key}, body ${String(r.body).slice(0, 200)})`);
    }
    expect(failures, failures.slice(0, 10).join('\n')).toEqual([]);
    // The fuzz reached past authentication and validation, not only into 401s.
    expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
    for (const deeper of [403, 404]) expect(statuses.get(deeper) ?? 0, `answers ${deeper}`).toBeGreaterThan(0);
    console.log(`fuzz answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  }, 600_000);
});
