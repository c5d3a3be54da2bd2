/**
 * Logs never carry personal data or secrets (保密性): the API's log output, captured while cases are
 * created, acted on and refused, holds no customerRef, description, note, evidence URL or API key.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app';
import { loadApiKeys } from '../../../api/auth';
import { dataConverterFrom } from '../../../worker/encryption';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { testConnection, temporalNamespace } from '../../support/temporal';
import { act, afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

const SECRETS = ['cust-LOGSECRET-1', 'LOGSECRET description of a sore foot', 'LOGSECRET note from the buyer', 'https://evidence.example/LOGSECRET.jpg'];
let system: CaseSystem;
let api: ApiClient;
let lines = '';
let close: () => Promise<void>;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'log-redaction' });
  const client = await testConnection({ dataConverter: dataConverterFrom({}) });
  const sink = new Writable({ write(chunk, _encoding, done) { lines += chunk.toString(); done(); } });
  const app = await buildApp({ client, taskQueue: system.taskQueue, namespace: temporalNamespace(), keys: loadApiKeys({}), logger: { level: 'debug', stream: sink } });
  api = apiClient(await app.listen({ host: '127.0.0.1', port: 0 }));
  close = async () => { await app.close(); await client.connection.close(); };
});
afterAll(async () => {
  await close?.();
  await system?.close();
});

describe('log redaction', () => {
  it('logs requests and refusals without personal data or keys', async () => {
    const policyId = await publishShortPolicy(api, {});
    const created = await createAfterSale(api, afterSaleBody({ policyId, customerRef: SECRETS[0], description: SECRETS[1], evidence: [SECRETS[3]] }));
    await act(api, created.id, 'add-note', 'dev-merchant-a', { note: SECRETS[2] });
    expect((await api.post('/v1/after-sales', { ...afterSaleBody(), customerRef: SECRETS[0], surprise: SECRETS[2] }, { key: 'dev-channel' })).status).toBe(400);
    expect((await api.get(`/v1/after-sales/${created.id}`, { key: 'dev-merchant-b' })).status).toBe(404);
    // Inquiries and order issues carry questions, messages and addresses: refused bodies are logged redacted too.
    expect((await api.post('/v1/inquiries', { merchantId: 'm-a', customerRef: SECRETS[0], channel: 'chat', topic: 'sizing', question: SECRETS[1], surprise: 1 }, { key: 'dev-channel' })).status).toBe(400);
    const address = { recipient: SECRETS[2], phone: '+86 138 LOGSECRET', line1: SECRETS[1], city: 'x', country: 'CN' };
    expect((await api.post('/v1/order-issues', { merchantId: 'm-a', orderId: 'o-1', customerRef: SECRETS[0], type: 'address_change', newAddress: { ...address, phone: 'x' } }, { key: 'dev-agent' })).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(lines.split('\n').length).toBeGreaterThan(8);
    expect(lines).toContain('request completed');
    for (const secret of [...SECRETS, 'dev-channel', 'dev-merchant-a', 'Bearer']) expect(lines, secret).not.toContain(secret);
  });
});
