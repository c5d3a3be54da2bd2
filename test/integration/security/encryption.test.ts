/**
 * Customer data is encrypted in workflow history: raw history read without the codec holds no plaintext
 * customerRef, description or note. The codec endpoint decodes it for the Temporal UI, with CORS for the
 * UI's origins only and staff keys (or loopback in development).
 */
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { testConnection } from '../../support/temporal';
import { act, afterSaleBody, createAfterSale, publishShortPolicy } from '../after-sale/fixtures';

let system: CaseSystem;
let api: ApiClient;
let plain: Client;
let caseId: string;

const SECRETS = ['cust-SECRET-91c2', 'SECRET-description-heel', 'SECRET-note-callback'];

beforeAll(async () => {
  system = await startCaseSystem({ name: 'encryption' });
  api = apiClient(system.baseUrl);
  plain = await testConnection();
  const policyId = await publishShortPolicy(api, {});
  const created = await createAfterSale(api, afterSaleBody({ policyId, customerRef: SECRETS[0], description: SECRETS[1] }));
  caseId = created.id;
  await act(api, caseId, 'add-note', 'dev-merchant-a', { note: SECRETS[2] });
});
afterAll(async () => {
  await plain?.connection.close();
  await system?.close();
});

async function rawHistory(): Promise<Buffer> {
  const history = await plain.workflow.getHandle(caseId).fetchHistory();
  return Buffer.from(temporal.api.history.v1.History.encode(history).finish());
}

describe('encryption at rest', () => {
  it('raw history holds none of the customer data in plain text', async () => {
    const raw = await rawHistory();
    expect(raw.length).toBeGreaterThan(500);
    for (const secret of SECRETS) expect(raw.includes(secret), secret).toBe(false);
    expect(raw.includes('binary/encrypted')).toBe(true);
  });

  it('the API (with the codec) still reads the case', async () => {
    const view = (await api.get(`/v1/after-sales/${caseId}`, { key: 'dev-supervisor' })).body;
    expect(view.customerRef).toBe(SECRETS[0]);
    expect(view.description).toBe(SECRETS[1]);
  });
});

describe('codec endpoint', () => {
  async function encryptedInput(): Promise<{ metadata: Record<string, string>; data: string }> {
    const history = await plain.workflow.getHandle(caseId).fetchHistory();
    const started = history.events![0].workflowExecutionStartedEventAttributes!;
    const p = started.input!.payloads![0];
    return {
      metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    };
  }

  it('decodes a history payload for a loopback caller and for a staff key', async () => {
    const body = { payloads: [await encryptedInput()] };
    for (const key of [undefined, 'dev-supervisor']) {
      const answer = await api.post('/codec/decode', body, { key, idempotencyKey: null, headers: { 'x-namespace': 'default' } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const decoded = Buffer.from(answer.body.payloads[0].data, 'base64').toString('utf8');
      expect(decoded).toContain(SECRETS[0]);
    }
  });

  it('encode then decode round-trips', async () => {
    const original = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') };
    const encoded = await api.post('/codec/encode', { payloads: [original] }, { idempotencyKey: null });
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const decoded = await api.post('/codec/decode', encoded.body, { idempotencyKey: null });
    expect(decoded.body.payloads[0]).toEqual(original);
  });

  it('refuses non-staff keys, foreign origins and another namespace', async () => {
    const body = { payloads: [await encryptedInput()] };
    expect((await api.post('/codec/decode', body, { key: 'dev-channel', idempotencyKey: null })).status).toBe(403);
    expect((await api.post('/codec/decode', body, { key: 'nope', idempotencyKey: null })).status).toBe(401);
    expect((await api.post('/codec/decode', body, { idempotencyKey: null, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await api.post('/codec/decode', body, { idempotencyKey: null, headers: { 'x-namespace': 'other' } })).status).toBe(400);
  });

  it('answers the UI origin\'s CORS preflight', async () => {
    const answer = await api.call('OPTIONS', '/codec/decode', undefined, {
      headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(answer.headers.get('access-control-allow-headers')).toContain('x-namespace');
  });
});
