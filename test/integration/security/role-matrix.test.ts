/**
 * The role × action matrix of docs/http-contract.md, enforced on every route: for each route and each development key,
 * a valid request is refused with 403 exactly when the key's role may not do it (merchant keys outside
 * their merchant get 404, never a hint). The expected table is written out here, not read from the code.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

type Role = 'admin' | 'supervisor' | 'agent' | 'arbiter' | 'channel' | 'merchant';
const KEYS: Record<string, Role> = {
  'dev-admin': 'admin', 'dev-supervisor': 'supervisor', 'dev-agent': 'agent', 'dev-arbiter': 'arbiter', 'dev-channel': 'channel', 'dev-merchant-a': 'merchant',
};
const ALL: Role[] = ['admin', 'supervisor', 'agent', 'arbiter', 'channel', 'merchant'];

/** docs/http-contract.md "Kinds and actions" for after-sales. */
const ACTION_ROLES: Record<string, Role[]> = {
  approve: ['merchant'], reject: ['merchant'], 'confirm-receipt': ['merchant'], 'ship-replacement': ['merchant'], 'complete-repair': ['merchant'],
  'execute-ruling': ['merchant'], 'ship-return': ['channel'], withdraw: ['channel'], escalate: ['channel', 'merchant'],
  'submit-evidence': ['channel', 'merchant'], appeal: ['channel', 'merchant'], 'add-note': ['channel', 'merchant'],
  'request-evidence': ['arbiter'], rule: ['arbiter'], 'approve-refund': ['supervisor'], 'retry-refund': ['supervisor'],
  suspend: ['supervisor', 'arbiter'], resume: ['supervisor', 'arbiter'], 'extend-deadline': ['supervisor', 'arbiter'],
};
const ACTION_BODIES: Record<string, Record<string, unknown>> = {
  approve: { actorRef: 'p1' }, reject: { reason: 'r', actorRef: 'p1' }, 'confirm-receipt': { inspection: 'ok', actorRef: 'p1' },
  'ship-replacement': { trackingNumber: 'T' }, 'complete-repair': {}, 'execute-ruling': { actorRef: 'p1' }, 'ship-return': { trackingNumber: 'T' },
  withdraw: {}, escalate: {}, 'submit-evidence': { evidence: ['https://e.example/1'] }, appeal: {}, 'add-note': { note: 'n' },
  'request-evidence': { from: 'buyer' }, rule: { decision: 'reject', actorRef: 'p1' }, 'approve-refund': { actorRef: 'p1' }, 'retry-refund': {},
  suspend: { reason: 'negotiation', actorRef: 'p1' }, resume: { actorRef: 'p1' },
  'extend-deadline': { deadline: 'merchantResponse', by: { amount: 1, unit: 'hours' }, reason: 'audit', actorRef: 'p1' },
};

/** docs/http-contract.md "Kinds and actions" for complaints. */
const COMPLAINT_ROLES: Record<string, Role[]> = {
  acknowledge: ['agent', 'supervisor'], assign: ['agent', 'supervisor'], classify: ['agent', 'supervisor'], 'add-note': ['agent', 'supervisor'],
  'propose-solution': ['agent', 'supervisor'], resolve: ['agent', 'supervisor'], 'create-task': ['agent', 'supervisor'], 'complete-task': ['agent', 'supervisor'],
  'approve-solution': ['supervisor'], close: ['supervisor'], 'accept-solution': ['channel'], 'reject-solution': ['channel'], reopen: ['channel'],
  escalate: ['agent', 'supervisor', 'channel'],
};
const COMPLAINT_BODIES: Record<string, Record<string, unknown>> = {
  acknowledge: {}, assign: { assignee: 'agent-7' }, classify: { severity: 'high' }, 'add-note': { note: 'n' },
  'propose-solution': { solution: { kind: 'apology' } }, resolve: {}, 'create-task': { department: 'logistics', description: 'trace the parcel' },
  'complete-task': { taskId: 'task-1', result: 'found' }, 'approve-solution': { actorRef: 'p1' }, close: {}, 'accept-solution': {}, 'reject-solution': {},
  reopen: {}, escalate: {},
};
/** Inquiry actions and roles (the product's table: the channel relays the customer, staff answer and close). */
const INQUIRY_ROLES: Record<string, Role[]> = {
  reply: ['agent', 'supervisor'], 'customer-message': ['channel'], convert: ['channel', 'agent', 'supervisor'], close: ['agent', 'supervisor'],
  'add-note': ['agent', 'supervisor'], assign: ['agent', 'supervisor'], escalate: ['agent', 'supervisor', 'channel'],
};
const INQUIRY_BODIES: Record<string, Record<string, unknown>> = {
  reply: {}, 'customer-message': { message: 'hello?' }, convert: { orderId: 'order-m1' }, close: {}, 'add-note': { note: 'n' }, assign: { assignee: 'agent-7' }, escalate: {},
};
const inquiryBody = () => ({ merchantId: 'm-a', customerRef: 'cust-1', channel: 'chat', topic: 'sizing' });

/** docs/http-contract.md "Kinds and actions" for order issues. */
const ORDER_ISSUE_ROLES: Record<string, Role[]> = {
  'update-tracking': ['channel', 'agent', 'merchant'], 'contact-carrier': ['agent', 'supervisor', 'merchant'], 'confirm-address': ['channel', 'agent'],
  'choose-remedy': ['channel'], compensate: ['agent', 'supervisor', 'merchant'], resolve: ['agent', 'supervisor', 'merchant'],
  'add-note': ['channel', 'agent', 'supervisor', 'merchant'], escalate: ['channel', 'agent', 'supervisor', 'merchant'],
};
const ORDER_ISSUE_BODIES: Record<string, Record<string, unknown>> = {
  'update-tracking': { trackingNumber: 'SF-1234' }, 'contact-carrier': { result: 'in_transit' }, 'confirm-address': {}, 'choose-remedy': { remedy: 'wait' },
  compensate: { remedy: 'reship' }, resolve: { resolution: 'sorted' }, 'add-note': { note: 'n' }, escalate: {},
};
const orderIssueBody = () => ({
  merchantId: 'm-a', orderId: 'order-m1', customerRef: 'cust-1', type: 'stock_shortage',
  order: { items: [{ sku: 's', quantity: 1, unitPrice: { amount: 100, currency: 'CNY' } }], paidTotal: { amount: 100, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' } },
});

const complaintBody = () => ({
  merchantId: 'm-a', customerRef: 'cust-1', channel: 'chat', category: 'logistics', severity: 'medium', urgency: 'normal', customerTier: 'regular', summary: 'late parcel',
});

let system: CaseSystem;
let api: ApiClient;
let policyId: string;
let caseId: string;
let complaintId: string;
let inquiryId: string;
let orderIssueId: string;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'role-matrix' });
  api = apiClient(system.baseUrl);
  policyId = await publishShortPolicy(api, {});
  caseId = (await createAfterSale(api, afterSaleBody({ policyId }))).id;
  const complaint = await api.post('/v1/complaints', complaintBody(), { key: 'dev-channel' });
  expect(complaint.status, JSON.stringify(complaint.body)).toBe(201);
  complaintId = complaint.body.id;
  const inquiry = await api.post('/v1/inquiries', inquiryBody(), { key: 'dev-channel' });
  expect(inquiry.status, JSON.stringify(inquiry.body)).toBe(201);
  inquiryId = inquiry.body.id;
  const orderIssue = await api.post('/v1/order-issues', orderIssueBody(), { key: 'dev-channel' });
  expect(orderIssue.status, JSON.stringify(orderIssue.body)).toBe(201);
  orderIssueId = orderIssue.body.id;
}, 120_000);
afterAll(async () => system?.close());

interface RouteCase { name: string; roles: Role[]; call: (key: string) => Promise<{ status: number; body: any }> }

const routes = (): RouteCase[] => [
  { name: 'POST /v1/after-sales', roles: ['channel', 'agent'], call: (key) => api.post('/v1/after-sales', afterSaleBody({ policyId }), { key }) },
  { name: 'GET /v1/after-sales/:id', roles: ALL, call: (key) => api.get(`/v1/after-sales/${caseId}`, { key }) },
  ...Object.entries(ACTION_ROLES).map(([action, roles]) => ({
    name: `POST /v1/after-sales/:id/actions/${action}`, roles, call: (key: string) => api.post(`/v1/after-sales/${caseId}/actions/${action}`, ACTION_BODIES[action], { key }),
  })),
  { name: 'POST /v1/complaints', roles: ['channel', 'agent'], call: (key) => api.post('/v1/complaints', complaintBody(), { key }) },
  { name: 'GET /v1/complaints/:id', roles: ALL, call: (key) => api.get(`/v1/complaints/${complaintId}`, { key }) },
  ...Object.entries(COMPLAINT_ROLES).map(([action, roles]) => ({
    name: `POST /v1/complaints/:id/actions/${action}`, roles, call: (key: string) => api.post(`/v1/complaints/${complaintId}/actions/${action}`, COMPLAINT_BODIES[action], { key }),
  })),
  { name: 'POST /v1/inquiries', roles: ['channel', 'agent'], call: (key) => api.post('/v1/inquiries', inquiryBody(), { key }) },
  { name: 'GET /v1/inquiries/:id', roles: ALL, call: (key) => api.get(`/v1/inquiries/${inquiryId}`, { key }) },
  ...Object.entries(INQUIRY_ROLES).map(([action, roles]) => ({
    name: `POST /v1/inquiries/:id/actions/${action}`, roles, call: (key: string) => api.post(`/v1/inquiries/${inquiryId}/actions/${action}`, INQUIRY_BODIES[action], { key }),
  })),
  { name: 'POST /v1/order-issues', roles: ['channel', 'agent', 'merchant'], call: (key) => api.post('/v1/order-issues', orderIssueBody(), { key }) },
  { name: 'GET /v1/order-issues/:id', roles: ALL, call: (key) => api.get(`/v1/order-issues/${orderIssueId}`, { key }) },
  ...Object.entries(ORDER_ISSUE_ROLES).map(([action, roles]) => ({
    name: `POST /v1/order-issues/:id/actions/${action}`, roles,
    call: (key: string) => api.post(`/v1/order-issues/${orderIssueId}/actions/${action}`, ORDER_ISSUE_BODIES[action], { key }),
  })),
  {
    name: 'POST /v1/callbacks/logistics', roles: ['channel'],
    call: (key) => api.post('/v1/callbacks/logistics', { caseId: orderIssueId, trackingNumber: 'SF-1234', event: 'in_transit', at: new Date().toISOString() }, { key, idempotencyKey: null }),
  },
  { name: 'POST /v1/callbacks/satisfaction', roles: ['channel'], call: (key) => api.post('/v1/callbacks/satisfaction', { caseId: complaintId, score: 5, requestId: randomUUID() }, { key }) },
  { name: 'GET /v1/policies', roles: ALL, call: (key) => api.get('/v1/policies', { key }) },
  { name: 'PUT /v1/policies/:id', roles: ['admin'], call: (key) => api.put(`/v1/policies/matrix-${randomUUID().slice(0, 6)}`, { name: 'm', extends: 'cn-marketplace' }, { key }) },
  { name: 'POST /v1/policies/:id/preview', roles: ALL, call: (key) => api.post('/v1/policies/cn-marketplace/preview', { kind: 'after_sale' }, { key, idempotencyKey: null }) },
  { name: 'GET /v1/calendars', roles: ALL, call: (key) => api.get('/v1/calendars', { key }) },
  { name: 'PUT /v1/calendars/:id', roles: ['admin'], call: (key) => api.put('/v1/calendars/matrix-cal', { timeZone: 'Asia/Shanghai', workingHours: '24x7' }, { key }) },
  { name: 'PUT /v1/policy-selection', roles: ['admin'], call: (key) => api.put('/v1/policy-selection', { rules: [] }, { key }) },
  { name: 'GET /v1/cases', roles: ['agent', 'supervisor', 'arbiter', 'merchant'], call: (key) => api.get('/v1/cases?pageSize=1', { key }) },
  { name: 'GET /v1/reports/service-levels', roles: ['supervisor', 'admin', 'merchant'], call: (key) => api.get('/v1/reports/service-levels', { key }) },
  { name: 'POST /codec/decode', roles: ['agent', 'supervisor', 'arbiter', 'admin'], call: (key) => api.post('/codec/decode', { payloads: [] }, { key, idempotencyKey: null }) },
];

describe('role × action matrix', () => {
  it('every route refuses exactly the roles the contract leaves out, and only them', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes()) {
      for (const [key, role] of Object.entries(KEYS)) {
        const answer = await route.call(key);
        const refused = answer.status === 403;
        const mayAct = route.roles.includes(role);
        checked += 1;
        if (refused === mayAct || answer.status === 401 || answer.status >= 500) {
          mismatches.push(`${route.name} as ${role}: ${answer.status} ${answer.body?.detail ?? ''}`);
        }
      }
    }
    expect(checked).toBe(routes().length * 6);
    expect(mismatches).toEqual([]);
  });

  it('a merchant key outside the case\'s merchant gets 404 on every case route, whatever the action', async () => {
    for (const [action, body] of Object.entries(ACTION_BODIES)) {
      expect((await api.post(`/v1/after-sales/${caseId}/actions/${action}`, body, { key: 'dev-merchant-b' })).status, action).toBe(404);
    }
    expect((await api.get(`/v1/after-sales/${caseId}`, { key: 'dev-merchant-b' })).status).toBe(404);
  });
});
