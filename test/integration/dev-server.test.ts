/**
 * Smoke test of the run's Temporal server: the namespace keeps closed histories 30 days or more, and the
 * 11 search attributes of cs-cases are registered with their types and accept values at workflow start.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { tsToMs } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_SEARCH_ATTRIBUTES } from '../../scripts/lib/search-attributes';
import { temporalNamespace, testConnection, uniqueTaskQueue } from '../support/temporal';

// The decided list, spelled out here so a drift in the provisioning list fails this test.
const EXPECTED: Record<string, SearchAttributeType> = {
  CaseKind: SearchAttributeType.KEYWORD,
  CaseStatus: SearchAttributeType.KEYWORD,
  CasePriority: SearchAttributeType.KEYWORD,
  OwnerRole: SearchAttributeType.KEYWORD,
  MerchantId: SearchAttributeType.KEYWORD,
  PolicyId: SearchAttributeType.KEYWORD,
  OrderId: SearchAttributeType.KEYWORD,
  CaseOutcome: SearchAttributeType.KEYWORD,
  EscalationLevel: SearchAttributeType.INT,
  SlaBreached: SearchAttributeType.BOOL,
  NextDeadline: SearchAttributeType.DATETIME,
  DeliveryState: SearchAttributeType.KEYWORD,
};

describe('Temporal server provided to the tests', () => {
  let client: Client;

  beforeAll(async () => {
    client = await testConnection();
  });

  afterAll(async () => {
    await client?.connection.close();
  });

  it('keeps closed workflows for at least 30 days', async () => {
    const described = await client.workflowService.describeNamespace({ namespace: temporalNamespace() });
    const retentionDays = tsToMs(described.config?.workflowExecutionRetentionTtl) / 86_400_000;
    expect(retentionDays).toBeGreaterThanOrEqual(30);
  });

  it('registers the 12 search attributes (11 of cases, 1 of webhook deliveries) with their types', async () => {
    expect(Object.fromEntries(CASE_SEARCH_ATTRIBUTES.map(({ name, type }) => [name, type]))).toEqual(EXPECTED);

    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
      namespace: temporalNamespace(),
    });
    const registered = Object.fromEntries(
      Object.keys(EXPECTED).map((name) => [name, encodeSearchAttributeIndexedValueType(customAttributes?.[name])]),
    );
    const wanted = Object.fromEntries(
      Object.entries(EXPECTED).map(([name, type]) => [name, encodeSearchAttributeIndexedValueType(type)]),
    );
    expect(registered).toEqual(wanted);
  });

  it('accepts typed values for every attribute and finds the workflow by them', async () => {
    const orderId = `smoke-${randomUUID()}`;
    const deadline = new Date(Date.now() + 3_600_000);
    const handle = await client.workflow.start('smokeNeverRuns', {
      taskQueue: uniqueTaskQueue('smoke'),
      workflowId: `smoke-${randomUUID()}`,
      typedSearchAttributes: [
        { key: defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD), value: 'complaint' },
        { key: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD), value: 'open' },
        { key: defineSearchAttributeKey('CasePriority', SearchAttributeType.KEYWORD), value: 'high' },
        { key: defineSearchAttributeKey('OwnerRole', SearchAttributeType.KEYWORD), value: 'agent' },
        { key: defineSearchAttributeKey('MerchantId', SearchAttributeType.KEYWORD), value: 'm-a' },
        { key: defineSearchAttributeKey('PolicyId', SearchAttributeType.KEYWORD), value: 'default' },
        { key: defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD), value: orderId },
        { key: defineSearchAttributeKey('CaseOutcome', SearchAttributeType.KEYWORD), value: 'none' },
        { key: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT), value: 2 },
        { key: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL), value: true },
        { key: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME), value: deadline },
      ],
    });
    try {
      // Visibility is eventually consistent: poll.
      const query =
        `OrderId = "${orderId}" AND EscalationLevel >= 2 AND SlaBreached = true ` +
        `AND NextDeadline > "${new Date(deadline.getTime() - 60_000).toISOString()}"`;
      await expect
        .poll(
          async () => {
            const ids: string[] = [];
            for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
            return ids;
          },
          { timeout: 20_000, interval: 250 },
        )
        .toEqual([handle.workflowId]);
    } finally {
      await handle.terminate('smoke test done');
    }
  });
});
