/**
 * The scenario drivers' HTTP client (test/support/scenarios.ts) over the transports a production stack
 * needs: https trusting only a private CA file, passing failures (503) retried under the same
 * Idempotency-Key, and the outside-system servers served over TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutsideSystems } from '../../support/outside-systems';
import { fetchTrusting, scenarioApi } from '../../support/scenarios';

let dir: string;
let certFile: string;
let key: Buffer;
let cert: Buffer;
let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; authorization?: string; idempotencyKey?: string }> = [];
let unavailable = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scenario-tls-'));
  certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  key = readFileSync(keyFile);
  cert = readFileSync(certFile);
  server = createServer({ key, cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      if (req.method === 'POST' && unavailable > 0) {
        unavailable -= 1;
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' }).end('{"status":503}');
        return;
      }
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, url: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('scenarioApi', () => {
  it('speaks https trusting the CA file, with the role key as bearer', async () => {
    const api = scenarioApi({ baseUrl: base, caFile: certFile, keys: { admin: 'a', supervisor: 's', agent: 'g', channel: 'c', merchant: 'm' } });
    expect(await api.call('GET', '/v1/policies', api.keys.supervisor)).toEqual({ status: 200, body: { ok: true, url: '/v1/policies' } });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/policies', authorization: 'Bearer s' });
  });

  it('without the CA the certificate is refused', async () => {
    const api = scenarioApi({ baseUrl: base });
    await expect(api.call('GET', '/v1/policies', 'k', undefined, { retryForMs: 0 })).rejects.toThrow();
  });

  it('a 503 is retried under the same Idempotency-Key until it is answered', async () => {
    const api = scenarioApi({ baseUrl: base, fetch: fetchTrusting(cert) });
    unavailable = 2;
    const before = seen.length;
    const answer = await api.call('POST', '/v1/after-sales', 'k', { a: 1 });
    expect(answer.status).toBe(201);
    const attempts = seen.slice(before);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    expect(attempts[0].idempotencyKey).toBeTruthy();
  });
});

describe('outside systems over TLS', () => {
  it('serve https URLs and still refuse a bad signature with 401', async () => {
    const outside = await startOutsideSystems({ tls: { key, cert } });
    try {
      expect(outside.env.LOGISTICS_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/logistics\/v1$/);
      const answer = await fetchTrusting(cert)(`${outside.env.LOGISTICS_URL}/parcels/SF1`, { method: 'GET', headers: { 'x-signature': 'sha256=00' } });
      expect(answer.status).toBe(401);
      expect(outside.badSignatures()).toEqual([expect.objectContaining({ system: 'logistics', path: '/logistics/v1/parcels/SF1', status: 401 })]);
    } finally {
      await outside.close();
    }
  });
});
