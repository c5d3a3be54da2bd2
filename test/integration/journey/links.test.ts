/**
 * The customer journey between released kinds: an after-sale opened about a complaint, and a complaint
 * opened about an after-sale, link both ways; a related case of another merchant (or none) is refused
 * without saying which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { afterSaleBody, createAfterSale, waitForCase } from '../after-sale/fixtures';
import { complaintBody, createComplaint, waitForComplaint } from '../complaint/fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'journey-links' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('cases opened about another case', () => {
  it('a complaint about an after-sale, and an after-sale about that complaint, reference each other', async () => {
    const afterSale = await createAfterSale(api, afterSaleBody({ type: 'refund_only' }));
    const complaint = await createComplaint(api, complaintBody({ orderId: afterSale.orderId, relatedCaseId: afterSale.id }));
    expect(complaint.links).toContainEqual({ id: afterSale.id, kind: 'after_sale', relation: 'related' });
    const linkedBack = await waitForCase(api, afterSale.id, (v) => v.links.some((l: any) => l.id === complaint.id));
    expect(linkedBack.links).toContainEqual({ id: complaint.id, kind: 'complaint', relation: 'follow_up' });
    expect(linkedBack.timeline.map((e: any) => e.type)).toContain('case.linked');

    const second = await createAfterSale(api, afterSaleBody({ type: 'refund_only', relatedCaseId: complaint.id }));
    expect(second.links).toContainEqual({ id: complaint.id, kind: 'complaint', relation: 'related' });
    const complaintNow = await waitForComplaint(api, complaint.id, (v) => v.links.some((l: any) => l.id === second.id));
    expect(complaintNow.links).toEqual(expect.arrayContaining([
      { id: afterSale.id, kind: 'after_sale', relation: 'related' },
      { id: second.id, kind: 'after_sale', relation: 'follow_up' },
    ]));
  });

  it('a related case of another merchant, or no case at all, is 422 unknown-related-case (and opens nothing)', async () => {
    const other = await createAfterSale(api, afterSaleBody({ type: 'refund_only', merchantId: 'm-b' }));
    const missing = `as_${'0'.repeat(32)}`;
    for (const relatedCaseId of [other.id, missing]) {
      const answer = await api.post('/v1/complaints', complaintBody({ relatedCaseId }), { key: 'dev-channel' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body).toMatchObject({ type: '/problems/not-eligible', rule: 'unknown-related-case', relatedCaseId });
      expect(answer.body.detail).not.toContain('m-b');
    }
    const malformed = await api.post('/v1/after-sales', afterSaleBody({ relatedCaseId: 'order-1' }), { key: 'dev-channel' });
    expect(malformed.status).toBe(400);
  });
});
