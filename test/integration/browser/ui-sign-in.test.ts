/**
 * Supervisors sign in to the Temporal UI with the company's OpenID Connect provider and read encrypted case
 * data, end to end with real parts: an OpenID provider (oidc-provider, authorization-code flow, JWT access
 * tokens for the API's audience with a roles claim), the production topology (PostgreSQL, Temporal server
 * with frontend mTLS, the Temporal UI server configured for OIDC and TEMPORAL_CODEC_PASS_ACCESS_TOKEN), the
 * worker and the API over HTTPS in this process, and headless Chromium. A platform supervisor signs in and
 * sees a case's input decoded; a merchant's staff member signs in and the codec refuses (403), so the text
 * stays encrypted. Screenshots go to test/screenshots (ignored by git).
 */
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { promises as fs, mkdirSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { decodeJwt, type JWTPayload } from 'jose';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app';
import { loadApiKeys } from '../../../api/auth';
import { codecAuthFrom } from '../../../api/codec-auth';
import { freePorts } from '../../../scripts/lib/dev-server';
import { developmentKeyring, encryptedDataConverter } from '../../../worker/encryption';
import { createSandboxAdapters } from '../../../worker/sandbox';
import { createCasesWorker } from '../../../worker/start-worker';
import { ensureDebianPackage } from '../../support/debian-packages';
import { startOidcProvider, type LocalOidcProvider, type OidcUser } from '../../support/oidc-provider';
import { type Topology, clientTlsOptions, startTopology } from '../../support/topology';
import { afterSaleBody } from '../after-sale/fixtures';

const root = path.resolve(__dirname, '../../..');
const screenshots = path.join(root, 'test', 'screenshots');
const started = Date.now();
const progress = (message: string) => console.log(`[ui-sign-in +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

/** The API's resource indicator at the provider: the `aud` of the access tokens the codec accepts. */
const AUDIENCE = 'urn:cs-cases:codec';
const CODEC_SCOPE = 'codec:decode';
/** Directory groups → roles of the API, as production's CODEC_OIDC_ROLE_MAP. */
const ROLE_MAP = { 'cs-supervisors': 'supervisor', 'seller-desk': 'merchant' };
const UI_CLIENT = { id: 'temporal-ui', secret: randomBytes(24).toString('base64url') };
const SUPERVISOR: OidcUser = { id: 'li.wei', password: randomBytes(12).toString('base64url'), name: 'Li Wei', email: 'li.wei@corp.example', roles: ['cs-supervisors'] };
const MERCHANT_STAFF: OidcUser = { id: 'shop.m-a.desk', password: randomBytes(12).toString('base64url'), name: 'Desk of m-a', email: 'desk@m-a.example', roles: ['seller-desk'] };
const TASK_QUEUE = `ui-sign-in-${process.pid}`;
/** Recognisable text in the case input: only a supervisor's browser may ever show it. */
/** `binary/encrypted` in base64, as the UI prints the metadata of a payload it could not decode. */
const ENCRYPTED_ENCODING_B64 = Buffer.from('binary/encrypted').toString('base64');
const DESCRIPTION = `Heel cracked on day three, sign-in check ${randomBytes(3).toString('hex')}`;

/** What the API saw on /codec: the bearer token's claims (not verified here: the API did that) and its answer. */
interface CodecCall {
  url: string;
  status: number;
  bearer?: JWTPayload;
  idToken?: JWTPayload;
  origin?: string;
}

let provider: LocalOidcProvider;
let topology: Topology;
let worker: Worker;
let workerRun: Promise<void>;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let app: FastifyInstance;
let apiBase: string;
let caPem: Buffer;
let browser: Browser;
const codecCalls: CodecCall[] = [];
const apiLog: string[] = [];

const jwtClaims = (token: string | undefined): JWTPayload | undefined => {
  if (!token) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
};

/** A JSON request to the API over HTTPS, trusting only the topology's CA. */
function apiCall(method: string, route: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${apiBase}${route}`, {
      method,
      ca: caPem,
      headers: {
        authorization: `Bearer ${key}`,
        ...(text !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'idempotency-key': randomBytes(8).toString('hex') } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = raw;
        try {
          parsed = raw ? JSON.parse(raw) : undefined;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** SHA-256 of a certificate's public key (SPKI), base64: what Chromium's --ignore-certificate-errors-spki-list takes. */
function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

beforeAll(async () => {
  ensureDebianPackage('chromium');
  mkdirSync(screenshots, { recursive: true });

  // The sign-in callback names the UI's address, so the UI's port is chosen first (production's ingress
  // gives the UI its fixed public address).
  const [uiPort, apiPort] = await freePorts('127.0.0.1', 2);
  const callbackUrl = `http://127.0.0.1:${uiPort}/auth/sso/callback`;

  provider = await startOidcProvider({
    client: { ...UI_CLIENT, redirectUri: callbackUrl },
    resource: AUDIENCE,
    resourceScope: CODEC_SCOPE,
    users: [SUPERVISOR, MERCHANT_STAFF],
  });
  progress(`OpenID provider at ${provider.issuer} (JWKS ${provider.jwksUrl})`);

  const codecEndpoint = `https://127.0.0.1:${apiPort}/codec`;
  topology = await startTopology({
    log: (message) => progress(`topology: ${message}`),
    ui: {
      port: uiPort,
      codecEndpoint,
      // Variable names from the UI server's config template (config/docker.yaml of ui-server v2.42.1).
      extraEnv: {
        TEMPORAL_AUTH_ENABLED: 'true',
        TEMPORAL_AUTH_TYPE: 'oidc',
        TEMPORAL_AUTH_PROVIDER_URL: provider.issuer,
        TEMPORAL_AUTH_CLIENT_ID: UI_CLIENT.id,
        TEMPORAL_AUTH_CLIENT_SECRET: UI_CLIENT.secret,
        TEMPORAL_AUTH_CALLBACK_URL: callbackUrl,
        TEMPORAL_AUTH_SCOPES: `openid,profile,email,${CODEC_SCOPE}`,
        TEMPORAL_CODEC_ENDPOINT: codecEndpoint,
        TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'true',
      },
    },
  });
  const tls = await clientTlsOptions(topology.tls!);

  nativeConnection = await NativeConnection.connect({ address: topology.address, tls });
  worker = await createCasesWorker({
    connection: nativeConnection,
    namespace: topology.namespace,
    taskQueue: TASK_QUEUE,
    adapters: createSandboxAdapters(),
    encryptionKeys: developmentKeyring(),
  });
  workerRun = worker.run();
  connection = await Connection.connect({ address: topology.address, tls });
  client = new Client({ connection, namespace: topology.namespace, dataConverter: encryptedDataConverter(developmentKeyring()) });

  caPem = await fs.readFile(path.join(topology.certDir, 'ca.pem'));
  app = await buildApp({
    client,
    taskQueue: TASK_QUEUE,
    namespace: topology.namespace,
    keys: loadApiKeys({}),
    logger: { level: 'info', stream: { write: (line: string) => void apiLog.push(line) } },
    https: { key: await fs.readFile(path.join(topology.certDir, 'server.key')), cert: await fs.readFile(path.join(topology.certDir, 'server.pem')) },
    codec: {
      corsOrigins: [topology.uiUrl!],
      // As in production: no loopback shortcut, the browser's token decides.
      allowLoopback: false,
      oidc: codecAuthFrom({ CODEC_OIDC_ISSUER: provider.issuer, CODEC_OIDC_AUDIENCE: AUDIENCE, CODEC_OIDC_ROLES_CLAIM: 'roles', CODEC_OIDC_ROLE_MAP: JSON.stringify(ROLE_MAP) }),
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!request.url.startsWith('/codec/')) return;
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const extras = request.headers['authorization-extras'];
    codecCalls.push({
      url: `${request.method} ${request.url}`,
      status: reply.statusCode,
      bearer: jwtClaims(bearer),
      idToken: jwtClaims(typeof extras === 'string' ? extras : undefined),
      origin: request.headers.origin,
    });
  });
  await app.listen({ host: '127.0.0.1', port: apiPort });
  apiBase = `https://127.0.0.1:${apiPort}`;
  progress(`API on ${apiBase} (codec OIDC: issuer ${provider.issuer}, audience ${AUDIENCE}); worker on ${TASK_QUEUE}`);

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
      // Accept exactly the API's certificate (signed by the topology's private CA), nothing else.
      `--ignore-certificate-errors-spki-list=${spkiHash(await fs.readFile(path.join(topology.certDir, 'server.pem'), 'utf8'))}`,
    ],
  });
  progress('Chromium started');
}, 1_500_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (worker) {
    worker.shutdown();
    await workerRun.catch(() => undefined);
  }
  await nativeConnection?.close();
  await connection?.close();
  await topology?.stop();
  await provider?.close();
});

let caseId: string;
let runId: string;

/** Runs `steps` in a fresh browser profile; a screenshot and the servers' log tails on failure. */
async function inBrowser(name: string, steps: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  try {
    await steps(page, context);
    await page.screenshot({ path: path.join(screenshots, `ui-sign-in-${name}.png`), fullPage: true });
  } catch (error) {
    await page.screenshot({ path: path.join(screenshots, `ui-sign-in-${name}-failure.png`), fullPage: true }).catch(() => undefined);
    console.log(`[ui-sign-in] ${name} failed at ${page.url()}; screenshot test/screenshots/ui-sign-in-${name}-failure.png\n` +
      `provider requests: ${JSON.stringify(provider.requests.slice(-15))}\ncodec calls: ${JSON.stringify(codecCalls)}\n` +
      `API log tail:\n${apiLog.slice(-10).join('')}\n${topology.logs()}`);
    throw error;
  } finally {
    await context.close();
  }
}

/**
 * Scrolls the code block holding `anchor` (the UI's editor renders only the lines in view) until `text`
 * is shown; fails when it never is.
 */
async function revealInInput(page: Page, anchor: string, text: string): Promise<void> {
  await page.getByText(anchor).filter({ visible: true }).first().hover();
  const shown = page.getByText(text).filter({ visible: true });
  for (let step = 0; step < 60 && (await shown.count()) === 0; step++) {
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(100);
  }
  await shown.first().waitFor({ timeout: 5_000 });
  await shown.first().scrollIntoViewIfNeeded();
}

/** From the UI to the provider's sign-in page (through the UI's own login page when it shows one), then signs in and consents. */
async function signIn(page: Page, user: OidcUser): Promise<void> {
  const login = page.locator('input[name="login"]');
  const ssoButton = page.getByRole('button', { name: /sso|log ?in|sign ?in/i }).or(page.getByRole('link', { name: /sso|log ?in|sign ?in/i }));
  await login.or(ssoButton).first().waitFor({ timeout: 60_000 });
  if (!page.url().startsWith(provider.issuer)) {
    progress(`UI login page at ${page.url()}: continuing to SSO`);
    await ssoButton.first().click();
  }
  await login.waitFor({ timeout: 30_000 });
  expect(page.url().startsWith(`${provider.issuer}/interaction/`)).toBe(true);
  progress(`provider sign-in page; signing in as ${user.id}`);
  await login.fill(user.id);
  await page.locator('input[name="password"]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const allow = page.getByRole('button', { name: 'Allow' });
  await allow.waitFor({ timeout: 30_000 });
  progress(`consent page: ${(await page.locator('li').allTextContents()).join(', ')}`);
  await allow.click();
  await page.waitForURL((url) => url.href.startsWith(topology.uiUrl!), { timeout: 60_000 });
  progress(`back in the UI at ${page.url()}`);
}

describe('Temporal UI signed in with OpenID Connect, decoding through the API codec', () => {
  beforeAll(async () => {
    const created = await apiCall('POST', '/v1/after-sales', 'dev-channel', afterSaleBody({ description: DESCRIPTION }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    caseId = created.body.id;
    runId = (await client.workflow.getHandle(caseId).describe()).runId;
    // History holds the input encrypted: a client without the keys sees no trace of the text.
    const history = await new Client({ connection, namespace: topology.namespace }).workflow.getHandle(caseId).fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(input?.metadata?.encoding ?? new Uint8Array()).toString()).toBe('binary/encrypted');
    expect(Buffer.from(input?.data ?? new Uint8Array()).includes(DESCRIPTION)).toBe(false);
    progress(`case ${caseId} (run ${runId}) created; its input is encrypted in history`);
  }, 120_000);

  const workflowUrl = () => `${topology.uiUrl}/namespaces/${topology.namespace}/workflows/${encodeURIComponent(caseId)}/${runId}/history`;

  it('a platform supervisor signs in at the provider and reads the case input decoded with their access token', async () => {
    const callsBefore = codecCalls.length;
    await inBrowser('supervisor', async (page) => {
      const browserCodec: { status: number; authorization?: string }[] = [];
      page.on('response', (response) => {
        if (response.url().startsWith(`${apiBase}/codec/decode`) && response.request().method() === 'POST') {
          browserCodec.push({ status: response.status(), authorization: response.request().headers().authorization });
        }
      });
      await page.goto(workflowUrl());
      await signIn(page, SUPERVISOR);
      // The Input block shows the case decoded (its fields, not the encrypted envelope)…
      await page.getByText('customerRef').filter({ visible: true }).first().waitFor({ timeout: 60_000 });
      expect(await page.getByText(ENCRYPTED_ENCODING_B64).count()).toBe(0);
      // …and the description, further down in the editor, which renders only the lines in view.
      await revealInInput(page, 'customerRef', DESCRIPTION);
      progress('the decoded description is visible to the supervisor');
      expect(await page.content()).toContain(DESCRIPTION);
      expect(browserCodec.length).toBeGreaterThan(0);
      expect(browserCodec.every((call) => call.status === 200 && /^Bearer ey/.test(call.authorization ?? ''))).toBe(true);
    });

    const calls = codecCalls.slice(callsBefore).filter((call) => call.url.startsWith('POST /codec/decode'));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.status).toBe(200);
      expect(call.origin).toBe(topology.uiUrl);
      expect(call.bearer).toMatchObject({ iss: provider.issuer, aud: AUDIENCE, sub: SUPERVISOR.id, roles: SUPERVISOR.roles, client_id: UI_CLIENT.id, scope: CODEC_SCOPE });
      expect(call.idToken).toMatchObject({ iss: provider.issuer, aud: UI_CLIENT.id, sub: SUPERVISOR.id, email: SUPERVISOR.email });
    }
    expect(provider.signIns).toContainEqual({ user: SUPERVISOR.id, ok: true });
    // The UI server (Go) exchanged the code; the API (jose) checked the signature against the provider's JWKS.
    expect(provider.requests).toContainEqual(expect.objectContaining({ method: 'POST', path: '/token', status: 200, agent: expect.stringMatching(/^Go-http-client/) }));
    expect(provider.requests).toContainEqual(expect.objectContaining({ method: 'GET', path: new URL(provider.jwksUrl).pathname, status: 200, agent: expect.stringMatching(/^jose\//) }));
    expect(provider.events).toContainEqual(expect.objectContaining({ event: 'access_token.issued', accountId: SUPERVISOR.id, clientId: UI_CLIENT.id, aud: AUDIENCE }));
    progress(`API answered ${calls.length} decode call(s) with 200 for ${SUPERVISOR.id}'s bearer JWT (aud ${AUDIENCE}, roles ${SUPERVISOR.roles.join(',')})`);
  }, 240_000);

  it('a merchant staff member signs in too, but the codec refuses their token (403) and the input stays encrypted', async () => {
    const callsBefore = codecCalls.length;
    await inBrowser('merchant-staff', async (page) => {
      await page.goto(workflowUrl());
      await signIn(page, MERCHANT_STAFF);
      const refused = await page.waitForResponse(
        (response) => response.url().startsWith(`${apiBase}/codec/decode`) && response.request().method() === 'POST',
        { timeout: 60_000 },
      );
      expect(refused.status()).toBe(403);
      expect(refused.request().headers().authorization).toMatch(/^Bearer ey/);
      // The UI says the codec failed and shows the input as stored: the encrypted envelope, not the case.
      await page.getByText('Codec Server could not connect').filter({ visible: true }).first().waitFor({ timeout: 30_000 });
      await page.getByText(ENCRYPTED_ENCODING_B64).filter({ visible: true }).first().waitFor({ timeout: 30_000 });
      expect(await page.getByText('customerRef').count()).toBe(0);
      expect(await page.content()).not.toContain(DESCRIPTION);
      progress('the merchant staff member sees the workflow, not the description');
    });

    const calls = codecCalls.slice(callsBefore).filter((call) => call.url.startsWith('POST /codec/decode'));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.status).toBe(403);
      expect(call.bearer).toMatchObject({ iss: provider.issuer, aud: AUDIENCE, sub: MERCHANT_STAFF.id, roles: MERCHANT_STAFF.roles });
    }
    expect(apiLog.join('')).toContain('no-staff-role');
    expect(provider.signIns).toContainEqual({ user: MERCHANT_STAFF.id, ok: true });
    progress(`API refused ${calls.length} decode call(s) with 403 for ${MERCHANT_STAFF.id} (roles ${MERCHANT_STAFF.roles.join(',')} map to merchant only)`);
  }, 240_000);
});
