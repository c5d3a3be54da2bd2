/**
 * Supervisors signed in to the Temporal UI with the company's OpenID Connect provider decode case payloads:
 * the UI forwards their access token to /codec. A real identity provider stand-in (discovery document and
 * JWKS over HTTP, keys from jose) signs tokens; the real API listens on loopback, over HTTP and over HTTPS
 * with a self-signed certificate, against the run's Temporal server. Valid staff tokens decode, every kind
 * of bad token is refused with a reason and one log line, API keys keep working, the JWKS is fetched once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, httpsFrom } from '../../../api/app';
import { loadApiKeys } from '../../../api/auth';
import { codecAuthFrom } from '../../../api/codec-auth';
import { dataConverterFrom } from '../../../worker/encryption';
import { testConnection, uniqueTaskQueue } from '../../support/temporal';

const UI_ORIGIN = 'https://temporal-ui.corp.example';
const AUDIENCE = 'cs-codec';
const ROLE_MAP = { 'cs-supervisors': 'supervisor', 'cs-agents': 'agent', 'seller-desk': 'merchant' };

/** The identity provider stand-in: one realm per API under test, each with its own request counters. */
interface Realm {
  issuer: string;
  jwksUrl: string;
  requests: { discovery: number; jwks: number };
}
interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: CryptoKey;
}

let idp: Server;
let idpBase: string;
const realms = new Map<string, Realm>();
let published: SigningKey[];
/** Keys no JWKS publishes: an unknown kid, and a known kid with another key pair. */
let strangerKey: SigningKey;
let impostorKey: SigningKey;
const publicJwks: object[] = [];

async function signingKey(kid: string, alg: SigningKey['alg'], publish: boolean): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  if (publish) publicJwks.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
  return { kid, alg, privateKey };
}

function realm(name: string): Realm {
  const issuer = `${idpBase}/realms/${name}`;
  const r = { issuer, jwksUrl: `${issuer}/protocol/openid-connect/certs`, requests: { discovery: 0, jwks: 0 } };
  realms.set(name, r);
  return r;
}

function startIdp(): Promise<void> {
  idp = createServer((req, res) => {
    const match = /^\/realms\/([^/]+)(\/.*)$/.exec(req.url ?? '');
    const r = match ? realms.get(match[1]) : undefined;
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (r && match![2] === '/.well-known/openid-configuration') {
      r.requests.discovery++;
      return json({ issuer: r.issuer, jwks_uri: r.jwksUrl, id_token_signing_alg_values_supported: ['ES256', 'RS256'] });
    }
    if (r && `${idpBase}${req.url}` === r.jwksUrl) {
      r.requests.jwks++;
      return json({ keys: publicJwks });
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => idp.listen(0, '127.0.0.1', () => {
    idpBase = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    resolve();
  }));
}

const now = () => Math.floor(Date.now() / 1000);

/** An access token as the provider would issue it; `claims` and `options` bend it into a bad one. */
function token(r: Realm, claims: JWTPayload, options: { key?: SigningKey; issuer?: string; audience?: string | string[]; expiresAt?: number } = {}): Promise<string> {
  const key = options.key ?? published[0];
  return new SignJWT({ azp: 'temporal-ui', ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? r.issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('supervisor-7f3a')
    .setIssuedAt(now() - 60)
    .setExpirationTime(options.expiresAt ?? now() + 300)
    .sign(key.privateKey);
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

function answerOf(status: number, headers: Record<string, string>, text: string): Answer {
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status, headers, body };
}

async function call(base: string, method: string, route: string, options: { bearer?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${route}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  return answerOf(response.status, Object.fromEntries(response.headers), await response.text());
}

/** The same call over HTTPS, trusting only the test's self-signed certificate. */
function callTls(base: string, route: string, ca: Buffer, options: { bearer: string; body: unknown }): Promise<Answer> {
  const body = JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${base}${route}`, {
      method: 'POST', ca,
      headers: { authorization: `Bearer ${options.bearer}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: UI_ORIGIN },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(answerOf(res.statusCode ?? 0, res.headers as Record<string, string>, Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (value: unknown) => ({ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(value)).toString('base64') });
const SECRET = { customerRef: 'cust-OIDC-5e1b', note: 'OIDC secret note' };

let client: Client;
const apps: FastifyInstance[] = [];
const logLines: string[] = [];
let tempDir: string;

async function startApi(r: Realm, env: Record<string, string>, extra: { https?: ReturnType<typeof httpsFrom> } = {}): Promise<string> {
  const app = await buildApp({
    client,
    taskQueue: uniqueTaskQueue('codec-oidc'),
    namespace: client.options.namespace,
    keys: loadApiKeys({}),
    logger: { level: 'warn', stream: { write: (line: string) => void logLines.push(line) } },
    codec: {
      corsOrigins: [UI_ORIGIN],
      // As in production: no loopback shortcut; a token or a key is needed.
      allowLoopback: false,
      oidc: codecAuthFrom({ CODEC_OIDC_ISSUER: r.issuer, CODEC_OIDC_AUDIENCE: AUDIENCE, CODEC_OIDC_ROLE_MAP: JSON.stringify(ROLE_MAP), ...env }),
    },
    ...(extra.https ? { https: extra.https } : {}),
  });
  apps.push(app);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return extra.https ? address.replace(/^http:/, 'https:') : address;
}

beforeAll(async () => {
  await startIdp();
  published = [await signingKey('es-1', 'ES256', true), await signingKey('rs-1', 'RS256', true)];
  strangerKey = await signingKey('es-stranger', 'ES256', false);
  impostorKey = { ...(await signingKey('unused', 'ES256', false)), kid: 'es-1' };
  client = await testConnection({ dataConverter: dataConverterFrom({}) });
  tempDir = mkdtempSync(path.join(tmpdir(), 'codec-oidc-'));
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await client?.connection.close();
  await new Promise((resolve) => idp?.close(resolve));
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('OpenID Connect tokens on /codec (HTTP, JWKS discovered from the issuer)', () => {
  let staff: Realm;
  let base: string;
  let encrypted: { payloads: any[] };
  const refusedTokens: string[] = [];
  let refusals = 0;

  beforeAll(async () => {
    staff = realm('staff');
    base = await startApi(staff, {});
    // The app's codec encrypts (staff API key), as the worker's would in history.
    const encoded = await call(base, 'POST', '/codec/encode', { bearer: 'dev-supervisor', body: { payloads: [json(SECRET)] } });
    expect(encoded.status, JSON.stringify(encoded.body)).toBe(200);
    encrypted = encoded.body;
    expect(Buffer.from(encrypted.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encrypted.payloads[0].data, 'base64').includes(SECRET.customerRef)).toBe(false);
  });

  const decodeWith = (bearer: string, extraHeaders: Record<string, string> = {}) =>
    call(base, 'POST', '/codec/decode', { bearer, body: encrypted, headers: { origin: UI_ORIGIN, 'x-namespace': client.options.namespace, ...extraHeaders } });

  async function expectRefused(bearer: string, status: 401 | 403, detail: RegExp): Promise<Answer> {
    const answer = await decodeWith(bearer);
    refusals++;
    refusedTokens.push(bearer);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.body.detail).toMatch(detail);
    expect(JSON.stringify(answer.body)).not.toContain(bearer);
    // The browser must be able to read the refusal too.
    expect(answer.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    if (status === 401) {
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
      expect(answer.headers['www-authenticate']).not.toContain(bearer);
    }
    return answer;
  }

  it('a supervisor token (array roles claim) decodes what the app encrypted, as the UI sends it', async () => {
    const idToken = await token(staff, { nonce: 'n-1' }, { audience: 'temporal-ui' });
    const answer = await decodeWith(await token(staff, { roles: ['offline_access', 'cs-supervisors'] }), { 'authorization-extras': idToken });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const decoded = answer.body.payloads[0];
    expect(Buffer.from(decoded.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString('utf8'))).toEqual(SECRET);
  });

  it('a string roles claim works too, and an RS256 key of the same JWKS', async () => {
    const answer = await decodeWith(await token(staff, { roles: 'cs-agents' }, { key: published[1] }));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it('encode takes a staff token as well (the protocol is unchanged)', async () => {
    const answer = await call(base, 'POST', '/codec/encode', { bearer: await token(staff, { roles: ['cs-supervisors'] }), body: { payloads: [json('hi')] }, headers: { origin: UI_ORIGIN } });
    expect(answer.status).toBe(200);
    expect(Buffer.from(answer.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  });

  it('fetches discovery and JWKS once for many requests, concurrent ones included', async () => {
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => token(staff, { roles: ['cs-supervisors'] })));
    const answers = await Promise.all(tokens.map((t) => decodeWith(t)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(staff.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('refuses an expired token with 401 naming the expiry', async () => {
    await expectRefused(await token(staff, { roles: ['cs-supervisors'] }, { expiresAt: now() - 600 }), 401, /expired/);
  });

  it('refuses a token for another audience', async () => {
    const answer = await expectRefused(await token(staff, { roles: ['cs-supervisors'] }, { audience: 'account' }), 401, /audience/);
    expect(answer.headers['www-authenticate']).toContain('audience');
  });

  it('refuses a token of another issuer', async () => {
    await expectRefused(await token(staff, { roles: ['cs-supervisors'] }, { issuer: `${idpBase}/realms/other` }), 401, /another issuer/);
  });

  it('refuses a token signed by a key the JWKS does not publish (unknown kid)', async () => {
    await expectRefused(await token(staff, { roles: ['cs-supervisors'] }, { key: strangerKey }), 401, /unknown signing key/);
  });

  it('refuses a token signed by another key under a published kid (bad signature)', async () => {
    await expectRefused(await token(staff, { roles: ['cs-supervisors'] }, { key: impostorKey }), 401, /bad signature/);
  });

  it('refuses a tampered token (claims changed after signing)', async () => {
    const [header, , signature] = (await token(staff, { roles: ['cs-agents'] })).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: staff.issuer, aud: AUDIENCE, exp: now() + 300, roles: ['cs-supervisors'] })).toString('base64url');
    await expectRefused(`${header}.${forged}.${signature}`, 401, /bad signature/);
  });

  it('answers 403 for valid tokens without a staff role: merchant staff, unmapped groups, no claim', async () => {
    await expectRefused(await token(staff, { roles: ['seller-desk'] }), 403, /maps only to merchant/);
    await expectRefused(await token(staff, { roles: ['everyone', 'cs-SUPERVISORS'] }), 403, /maps to no role/);
    await expectRefused(await token(staff, {}), 403, /maps to no role/);
  });

  it('logs one line per refusal, with the reason and without the token', () => {
    const refused = logLines.filter((line) => line.includes('codec token refused'));
    expect(refused).toHaveLength(refusals);
    const reasons = refused.map((line) => JSON.parse(line).codecAuth.reason);
    expect(reasons).toEqual(['expired', 'wrong-audience', 'wrong-issuer', 'unknown-key', 'bad-signature', 'bad-signature', 'no-staff-role', 'no-staff-role', 'no-staff-role']);
    for (const line of logLines) {
      for (const t of refusedTokens) {
        expect(line).not.toContain(t);
        expect(line).not.toContain(t.split('.')[2]);
      }
    }
  });

  it('API keys keep working: a staff key decodes, a merchant key may not, no credential is refused', async () => {
    const staffKey = await call(base, 'POST', '/codec/decode', { bearer: 'dev-supervisor', body: encrypted, headers: { origin: UI_ORIGIN } });
    expect(staffKey.status).toBe(200);
    expect(JSON.parse(Buffer.from(staffKey.body.payloads[0].data, 'base64').toString('utf8'))).toEqual(SECRET);
    expect((await call(base, 'POST', '/codec/decode', { bearer: 'dev-merchant-a', body: encrypted })).status).toBe(403);
    expect((await call(base, 'POST', '/codec/decode', { bearer: 'not-a-key', body: encrypted })).status).toBe(401);
    expect((await call(base, 'POST', '/codec/decode', { body: encrypted })).status).toBe(401);
  });

  it('tokens open /codec only: the rest of the API still wants an API key', async () => {
    const supervisorToken = await token(staff, { roles: ['cs-supervisors'] });
    expect((await call(base, 'GET', '/v1/cases?pageSize=1', { bearer: supervisorToken })).status).toBe(401);
    const withKey = await call(base, 'GET', '/v1/cases?pageSize=1', { bearer: 'dev-supervisor' });
    expect(withKey.status, JSON.stringify(withKey.body)).toBe(200);
  });

  it('CORS preflight allows authorization-extras for a UI origin and refuses other origins', async () => {
    const requested = 'authorization, authorization-extras, content-type, x-namespace';
    const allowed = await call(base, 'OPTIONS', '/codec/decode', { headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': requested } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const allowHeaders = allowed.headers['access-control-allow-headers'].split(',').map((h) => h.trim().toLowerCase());
    for (const header of requested.split(', ')) expect(allowHeaders).toContain(header);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');

    const other = await call(base, 'OPTIONS', '/codec/decode', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': requested } });
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const stolen = await call(base, 'POST', '/codec/decode', { bearer: await token(staff, { roles: ['cs-supervisors'] }), body: encrypted, headers: { origin: 'https://evil.example' } });
    expect(stolen.status).toBe(403);
  });

  it('still fetched discovery and the JWKS only once after all of that', () => {
    expect(staff.requests).toEqual({ discovery: 1, jwks: 1 });
  });
});

describe('OpenID Connect tokens on /codec over HTTPS (configured JWKS URL, nested roles claim)', () => {
  let keycloak: Realm;
  let base: string;
  let cert: Buffer;

  beforeAll(async () => {
    keycloak = realm('keycloak');
    const certFile = path.join(tempDir, 'cert.pem');
    const keyFile = path.join(tempDir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile,
    ], { stdio: 'pipe' });
    cert = readFileSync(certFile);
    base = await startApi(keycloak, { CODEC_OIDC_JWKS_URL: keycloak.jwksUrl, CODEC_OIDC_ROLES_CLAIM: 'realm_access.roles' }, { https: httpsFrom({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile }) });
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a supervisor token with realm_access.roles round-trips encode and decode over TLS', async () => {
    const bearer = await token(keycloak, { realm_access: { roles: ['default-roles', 'cs-supervisors'] } });
    const encoded = await callTls(base, '/codec/encode', cert, { bearer, body: { payloads: [json(SECRET)] } });
    expect(encoded.status, JSON.stringify(encoded.body)).toBe(200);
    expect(encoded.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const decoded = await callTls(base, '/codec/decode', cert, { bearer, body: encoded.body });
    expect(decoded.status, JSON.stringify(decoded.body)).toBe(200);
    expect(JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8'))).toEqual(SECRET);
    // The configured JWKS URL is used as is: no discovery.
    expect(keycloak.requests).toEqual({ discovery: 0, jwks: 1 });
  });

  it('the roles claim is read at the configured path only', async () => {
    const answer = await callTls(base, '/codec/decode', cert, { bearer: await token(keycloak, { roles: ['cs-supervisors'] }), body: { payloads: [json(1)] } });
    expect(answer.status).toBe(403);
  });

  it('plain HTTP is not served on the HTTPS port', async () => {
    await expect(fetch(`${base.replace(/^https:/, 'http:')}/codec/decode`, { method: 'POST' }).then((r) => r.status)).rejects.toThrow();
  });
});

describe('identity provider unreachable', () => {
  it('answers 503 with retry-after, not a 401 that would blame the token', async () => {
    const gone = realm('gone');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const base = await startApi(gone, { CODEC_OIDC_JWKS_URL: `http://127.0.0.1:${port}/certs` });
    const answer = await call(base, 'POST', '/codec/decode', { bearer: await token(gone, { roles: ['cs-supervisors'] }), body: { payloads: [json(1)] } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(answer.headers['retry-after']).toBeDefined();
    expect(answer.body.detail).toMatch(/signing keys could not be fetched/);
  });
});
