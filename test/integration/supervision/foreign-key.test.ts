/**
 * A case or policy registry whose memo is encrypted under a key this API lacks (a key rotated on the
 * workers first, a key retired while its cases are still retained) must not fail a whole list or report:
 * lists, reports and the policy list read visibility, not memos, and skip what they cannot decode.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedDataConverter, keyringFromJson } from '../../../worker/encryption';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, eventually, type ApiClient } from '../../support/http';
import { temporalNamespace, testConnection, uniqueTaskQueue } from '../../support/temporal';

const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
const MerchantId = defineSearchAttributeKey('MerchantId', SearchAttributeType.KEYWORD);
const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);

let system: CaseSystem;
let api: ApiClient;
let foreign: Client;
const merchantId = `m-fk-${randomBytes(3).toString('hex')}`;
const caseId = `as_${randomBytes(16).toString('hex')}`;
const registryId = `policy:fk-${randomBytes(3).toString('hex')}`;
const calendarId = `fk-cal-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  // An API without the case projection reads lists and reports from visibility: that path must survive foreign memos.
  system = await startCaseSystem({ name: 'foreign-key', temporalCallTimeoutMs: 3_000, projection: false });
  api = apiClient(system.baseUrl);
  // Another keyring than the API's: these memos cannot be decoded here. Nobody polls their task queue.
  const keyring = keyringFromJson(JSON.stringify({ current: 'k-other', keys: { 'k-other': randomBytes(32).toString('base64') } }), 'test');
  foreign = await testConnection({ dataConverter: encryptedDataConverter(keyring) });
  const taskQueue = uniqueTaskQueue('nobody-polls');
  await foreign.workflow.start('afterSale', {
    workflowId: caseId, taskQueue, args: [{}], memo: { customerRef: 'cust-secret' },
    typedSearchAttributes: [{ key: CaseKind, value: 'after_sale' }, { key: MerchantId, value: merchantId }, { key: CaseStatus, value: 'awaiting_merchant' }],
  });
  await foreign.workflow.start('policyRegistry', { workflowId: registryId, taskQueue, args: [{}], memo: { policyId: 'fk', latestVersion: 1 } });
  // A calendar registry an operator ended, its memo under the other key: it holds no current document.
  const calendar = await foreign.workflow.start('documentRegistry', { workflowId: `calendar-registry:${calendarId}`, taskQueue, args: [{}], memo: { documentId: calendarId } });
  await calendar.terminate('ended by an operator');
}, 120_000);

afterAll(async () => {
  for (const id of [caseId, registryId]) await foreign?.workflow.getHandle(id).terminate('test finished').catch(() => undefined);
  await foreign?.connection.close();
  await system?.close();
});

describe('one undecodable memo', () => {
  it('leaves the case list answering, with the case listed from its search attributes', async () => {
    const listed = await eventually(async () => {
      const answer = await api.get(`/v1/cases?merchantId=${merchantId}`, { key: 'dev-supervisor' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      if (answer.body.cases.length === 0) throw new Error('not visible yet');
      return answer.body.cases;
    });
    expect(listed).toEqual([expect.objectContaining({ id: caseId, status: 'awaiting_merchant', merchantId })]);
  });

  it('leaves the service-level report answering, counting the open case', async () => {
    const report = await eventually(async () => {
      const answer = await api.get(`/v1/reports/service-levels?merchantId=${merchantId}`, { key: 'dev-supervisor' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const mine = answer.body.merchants.find((m: any) => m.merchantId === merchantId);
      if (!mine) throw new Error('not visible yet');
      return mine;
    });
    expect(report.cases).toBe(1);
  });

  it('reads an ended registry as no document even when its memo is under another key (no 5xx)', async () => {
    const answer = await api.get(`/v1/calendars/${calendarId}`, { key: 'dev-admin' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(404);
  });

  it('leaves the policy list answering, without the registry it cannot read', async () => {
    await eventually(async () => {
      const raw = await system.client.workflowService.listWorkflowExecutions({ namespace: temporalNamespace(), query: `WorkflowId = '${registryId}'` });
      if ((raw.executions ?? []).length === 0) throw new Error('not visible yet');
    });
    const answer = await api.get('/v1/policies', { key: 'dev-admin' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const ids = answer.body.policies.map((p: any) => p.id);
    expect(ids).toContain('cn-marketplace');
    expect(ids).not.toContain('fk');
  });
});
