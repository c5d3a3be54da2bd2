/**
 * A supervisor in a real browser: headless Chromium (Debian's) opens the embedded Temporal UI, filters
 * the case list by a custom search attribute, finds a test case and reads its input decoded through the
 * API's codec endpoint. Screenshots go to test/screenshots (ignored by git).
 * This file runs its own dev server, because the UI's codec endpoint is fixed when the server starts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, startDevServer, type DevServer } from '../../../scripts/lib/dev-server';
import { findOrBuildTemporalCli } from '../../../scripts/lib/temporal-cli';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { ensureDebianPackage } from '../../support/debian-packages';
import { apiClient } from '../../support/http';
import { afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

const root = path.resolve(__dirname, '../../..');
const screenshots = path.join(root, 'test', 'screenshots');
let server: DevServer;
let system: CaseSystem;
let browser: Browser;

beforeAll(async () => {
  ensureDebianPackage('chromium');
  mkdirSync(screenshots, { recursive: true });
  const [apiPort] = await freePorts('127.0.0.1', 1);
  server = await startDevServer({
    cliPath: await findOrBuildTemporalCli(() => undefined),
    dataDir: path.join(root, '.test-results', `temporal-ui-${process.pid}`),
    uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
  });
  system = await startCaseSystem({ name: 'browser', temporalAddress: server.address, port: apiPort, codecCorsOrigins: [server.uiUrl!] });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
  await server?.stop();
});

describe('Temporal UI', () => {
  it('filters by a case search attribute and shows the decoded case input', async () => {
    const api = apiClient(system.baseUrl);
    const orderId = `order-ui-${Date.now().toString(36)}`;
    const created = await createAfterSale(api, afterSaleBody({ orderId, customerRef: 'cust-UI-visible-42', policyId: await publishShortPolicy(api, {}) }));

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const query = encodeURIComponent(`OrderId = "${orderId}"`);
    await page.goto(`${server.uiUrl}/namespaces/default/workflows?query=${query}`);
    const link = page.getByRole('link', { name: created.id });
    await link.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(screenshots, 'case-list-filtered.png'), fullPage: true });

    await link.click();
    await page.getByText('cust-UI-visible-42').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(screenshots, 'case-decoded-input.png'), fullPage: true });
    expect(await page.content()).toContain('cust-UI-visible-42');
  });
});
