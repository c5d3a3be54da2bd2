/**
 * `GET /v1/cases` over real visibility: filters by search attributes, merchant scope, page tokens, and
 * 400/403 for what a caller may not ask.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageTokens } from '../../../api/page-tokens';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { act, afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
const orderId = `order-list-${randomUUID().slice(0, 8)}`;
const ids: string[] = [];

beforeAll(async () => {
  system = await startCaseSystem({ name: 'case-list' });
  api = apiClient(system.baseUrl);
  const policyId = await publishShortPolicy(api, {});
  for (let i = 0; i < 3; i += 1) ids.push((await createAfterSale(api, afterSaleBody({ policyId, orderId }))).id);
  ids.push((await createAfterSale(api, afterSaleBody({ policyId, orderId, merchantId: 'm-b' }))).id);
  await act(api, ids[0], 'approve', 'dev-merchant-a', { actorRef: 'staff-1' });
}, 120_000);
afterAll(async () => system?.close());

async function list(query: string, key = 'dev-supervisor') {
  return api.get(`/v1/cases?${query}`, { key });
}

describe('GET /v1/cases', () => {
  it('filters by order, status and owner across merchants for a supervisor', async () => {
    const all = await eventually(async () => {
      const answer = await list(`orderId=${orderId}`);
      expect(answer.status).toBe(200);
      if (answer.body.cases.length < 4) throw new Error('not all visible yet');
      return answer.body.cases;
    });
    expect(all.map((c: any) => c.id).sort()).toEqual([...ids].sort());
    expect(all[0]).toMatchObject({ kind: 'after_sale', orderId, running: true });
    const approved = await eventually(async () => {
      const answer = await list(`orderId=${orderId}&status=awaiting_buyer_return&ownerRole=channel`);
      if (answer.body.cases.length !== 1) throw new Error('not yet');
      return answer.body.cases;
    });
    expect(approved.map((c: any) => c.id)).toEqual([ids[0]]);
    expect((await list(`orderId=${orderId}&kind=complaint`)).body.cases).toEqual([]);
  });

  it('keeps merchant keys to their merchants', async () => {
    const own = await list(`orderId=${orderId}`, 'dev-merchant-b');
    expect(own.status).toBe(200);
    expect(own.body.cases.map((c: any) => c.id)).toEqual([ids[3]]);
    expect((await list('merchantId=m-a', 'dev-merchant-b')).status).toBe(403);
    expect((await list('', 'dev-channel')).status).toBe(403);
    expect((await list('', 'dev-admin')).status).toBe(403);
  });

  it('pages with opaque tokens', async () => {
    const first = await list(`orderId=${orderId}&pageSize=2`);
    expect(first.body.cases).toHaveLength(2);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    const second = await list(`orderId=${orderId}&pageSize=2&pageToken=${first.body.nextPageToken}`);
    expect(second.status).toBe(200);
    const seen = [...first.body.cases, ...second.body.cases].map((c: any) => c.id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('400 for a sealed token that holds no list position (never a 500)', async () => {
    const sealed = pageTokens('cs-cases page tokens').seal(Buffer.from('not a cursor'));
    const answer = await list(`pageToken=${sealed}`);
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('/problems/invalid-request');
  });

  it.each([
    ['escalationLevel=9'], ['breached=maybe'], ['kind=refund'], ["status=x'%20OR%20'1'='1"], ['pageSize=0'], ['surprise=1'], ['pageToken=bm90LWEtdG9rZW4'],
  ])('400 for %s', async (query) => {
    const answer = await list(query);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
