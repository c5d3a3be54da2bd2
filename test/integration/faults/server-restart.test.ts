/**
 * The Temporal dev server is stopped and started again on the same SQLite file mid-run: every case
 * survives (state, timers, pending refunds) and completes once, with one refund each. Uses a server of
 * its own so the rest of the suite never sees the outage.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, startDevServer, type DevServer } from '../../../scripts/lib/dev-server';
import { findOrBuildTemporalCli } from '../../../scripts/lib/temporal-cli';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { afterSaleBody, createAfterSale, publishShortPolicy, waitForCase } from '../after-sale/fixtures';

const root = path.resolve(__dirname, '../../..');
const dataDir = path.join(root, '.test-results', `temporal-restart-${process.pid}`);
let cliPath: string;
let port: number;
let server: DevServer;
let system: CaseSystem;
let api: ApiClient;

const start = () => startDevServer({ cliPath, dataDir, port, ui: false });

beforeAll(async () => {
  cliPath = await findOrBuildTemporalCli(() => undefined);
  [port] = await freePorts('127.0.0.1', 1);
  server = await start();
  system = await startCaseSystem({ name: 'server-restart', temporalAddress: server.address, temporalCallTimeoutMs: 20_000 });
  api = apiClient(system.baseUrl);
}, 120_000);

afterAll(async () => {
  await system?.close();
  await server?.stop();
});

describe('dev server restart on the same SQLite file', () => {
  it('loses no case: timers that fell due while it was down fire after, refunds happen once', async () => {
    const policyId = await publishShortPolicy(api, { merchantResponse: 3 });
    const cases = await Promise.all(Array.from({ length: 5 }, () =>
      createAfterSale(api, afterSaleBody({ type: 'refund_only', reason: 'not_received', policyId }))));
    const ids = cases.map((c) => c.id as string);

    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    server = await start();

    for (const id of ids) {
      const closed = await waitForCase(api, id, (v) => v.status === 'closed', 90_000);
      expect(closed.outcome).toBe('refunded');
      expect(closed.timeline.map((e: any) => e.type)).toContain('case.default_outcome');
    }
    const ledger = system.adapters.payments.entries().filter((e) => ids.includes(e.caseId));
    expect(ledger).toHaveLength(ids.length);
  });
});
