/**
 * The supervisors' views are real Temporal list queries: each one the server accepts, a fresh case shows in
 * the views it belongs to, no view lists anything but cases (surveys, registries, webhook deliveries stay
 * out), and headless Chromium opening a printed link finds the case in the Temporal UI's list.
 */
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { supervisorViews, type SupervisorView } from '../../../api/client';
import { supervisorViewsText } from '../../../scripts/start';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { ensureDebianPackage } from '../../support/debian-packages';
import { apiClient, eventually } from '../../support/http';
import { afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

let system: CaseSystem;
const uiUrl = inject('temporalUiUrl') || 'http://127.0.0.1:8233';

beforeAll(async () => {
  system = await startCaseSystem({ name: 'supervisor-views' });
});
afterAll(async () => system?.close());

async function listed(view: SupervisorView): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of system.client.workflow.list({ query: view.query })) ids.push(execution.workflowId);
  return ids;
}

describe('supervisor views', () => {
  it('every view is a cases-only query the server accepts, and the start text prints each link', async () => {
    const views = supervisorViews({ uiUrl, namespace: system.client.options.namespace });
    expect(views.map((v) => v.id)).toEqual(['breached', 'escalated', 'queue-agent', 'queue-supervisor', 'queue-arbiter', 'due-within-a-day', 'waiting-on-merchant', 'merchant-after-sales']);
    for (const view of views) {
      expect(view.query).toMatch(/CaseKind (IN \(|= ')/);
      expect(decodeURIComponent(new URL(view.url).searchParams.get('query')!)).toBe(view.query);
      const ids = await listed(view);
      expect(ids.filter((id) => !/^(as|cp|iq|oi)_/.test(id)), view.id).toEqual([]);
    }
    const text = supervisorViewsText(uiUrl, 'default');
    for (const view of supervisorViews({ uiUrl, namespace: 'default' })) expect(text).toContain(view.title);
  });

  it('a case waiting on its merchant shows in that view and its merchant\'s, and in the UI from the link', async () => {
    const api = apiClient(system.baseUrl);
    const policyId = await publishShortPolicy(api, { merchantResponse: 3600 }, { defaultSeconds: 7200 });
    const created = await createAfterSale(api, afterSaleBody({ policyId, orderId: `order-views-${randomUUID().slice(0, 6)}` }));
    const views = Object.fromEntries(supervisorViews({ uiUrl, namespace: system.client.options.namespace }).map((v) => [v.id, v]));
    await eventually(async () => {
      expect(await listed(views['waiting-on-merchant']!)).toContain(created.id);
      expect(await listed(views['merchant-after-sales']!)).toContain(created.id);
      expect(await listed(views['due-within-a-day']!)).toContain(created.id);
    }, { timeoutMs: 30_000 });
    expect(await listed(views['queue-arbiter']!)).not.toContain(created.id);
    // Its current details (the UI's case page) say the next deadline in words, in the calendar's zone.
    const metadata = await system.client.workflow.getHandle(created.id).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(
      /\nnext: merchant response due (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2}:\d{2} \(\+08:00\), merchant must act; silence approves$/m,
    );
    // The policy registry this test published runs beside the case: open, but never in a view.
    const running: string[] = [];
    for await (const e of system.client.workflow.list({ query: `TaskQueue = '${system.taskQueue}' AND ExecutionStatus = 'Running'` })) running.push(e.workflowId);
    const others = running.filter((id) => !/^(as|cp|iq|oi)_/.test(id));
    expect(others.length).toBeGreaterThan(0);
    for (const view of Object.values(views)) expect((await listed(view)).filter((id) => others.includes(id)), view.id).toEqual([]);

    if (!inject('temporalUiUrl')) return; // an existing server without a UI of this run
    ensureDebianPackage('chromium');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await page.goto(views['waiting-on-merchant']!.url);
      await page.getByRole('link', { name: created.id }).waitFor({ timeout: 60_000 });
    } finally {
      await browser.close();
    }
  }, 180_000);
});
