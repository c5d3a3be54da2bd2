/**
 * One customer's journey through every kind, on the real server: a pre-sale inquiry converts to an order;
 * the parcel goes missing (order issue about the inquiry); the customer asks for a refund (after-sale about
 * the order issue); then complains (complaint about the after-sale). Each case references the one before,
 * open cases link back, and `GET /v1/cases?orderId=` lists the whole journey across kinds.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { afterSaleBody, createAfterSale, waitForCase } from '../after-sale/fixtures';
import { complaintBody, createComplaint, waitForComplaint } from '../complaint/fixtures';
import { createOrderIssue, orderIssueBody, waitForIssue } from '../order-issue/fixtures';

let system: CaseSystem;
let api: ApiClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'journey' });
  api = apiClient(system.baseUrl);
});
afterAll(async () => system?.close());

describe('inquiry → order issue → after-sale → complaint', () => {
  it('each case names the one before, open ones link back, and the order lists all four kinds', async () => {
    const orderId = `order-${randomUUID().slice(0, 8)}`;
    const inquiry = (await api.post('/v1/inquiries', { merchantId: 'm-a', customerRef: 'cust-77aa', channel: 'chat', topic: 'availability' }, { key: 'dev-channel' })).body;
    await api.post(`/v1/inquiries/${inquiry.id}/actions/reply`, {}, { key: 'dev-agent' });
    const converted = (await api.post(`/v1/inquiries/${inquiry.id}/actions/convert`, { orderId }, { key: 'dev-channel' })).body;
    expect(converted).toMatchObject({ status: 'closed', outcome: 'converted', orderId });

    const issue = await createOrderIssue(api, orderIssueBody('parcel_missing', { orderId, relatedCaseId: inquiry.id }));
    expect(issue.links).toContainEqual({ id: inquiry.id, kind: 'inquiry', relation: 'related' });
    await waitForIssue(api, issue.id, (v) => v.status === 'awaiting_parcel');

    const afterSale = await createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_received', orderId, relatedCaseId: issue.id }));
    expect(afterSale.links).toContainEqual({ id: issue.id, kind: 'order_issue', relation: 'related' });
    const issueLinked = await waitForIssue(api, issue.id, (v) => v.links.some((l: any) => l.id === afterSale.id));
    expect(issueLinked.links).toContainEqual({ id: afterSale.id, kind: 'after_sale', relation: 'follow_up' });

    const complaint = await createComplaint(api, complaintBody({ orderId, relatedCaseId: afterSale.id }));
    expect(complaint.links).toContainEqual({ id: afterSale.id, kind: 'after_sale', relation: 'related' });
    const afterSaleLinked = await waitForCase(api, afterSale.id, (v) => v.links.some((l: any) => l.id === complaint.id));
    expect(afterSaleLinked.links).toEqual(expect.arrayContaining([
      { id: issue.id, kind: 'order_issue', relation: 'related' }, { id: complaint.id, kind: 'complaint', relation: 'follow_up' },
    ]));
    expect((await waitForComplaint(api, complaint.id, () => true)).relatedCaseId).toBe(afterSale.id);

    const journey = await eventually(async () => {
      const answer = await api.get(`/v1/cases?orderId=${orderId}`, { key: 'dev-supervisor' });
      expect(answer.status).toBe(200);
      if (answer.body.cases.length < 4) throw new Error(`${answer.body.cases.length} of 4 visible`);
      return answer.body.cases;
    });
    expect(journey.map((c: any) => [c.kind, c.id]).sort()).toEqual([
      ['after_sale', afterSale.id], ['complaint', complaint.id], ['inquiry', inquiry.id], ['order_issue', issue.id],
    ]);
    const merchantView = await api.get(`/v1/cases?orderId=${orderId}&kind=order_issue`, { key: 'dev-merchant-a' });
    expect(merchantView.body.cases.map((c: any) => c.id)).toEqual([issue.id]);
    expect((await api.get(`/v1/cases?orderId=${orderId}`, { key: 'dev-merchant-b' })).body.cases).toEqual([]);
  });
});
