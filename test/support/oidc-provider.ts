/**
 * A real OpenID Connect provider for tests (the `oidc-provider` package, authorization-code flow) standing
 * in for the company's identity provider: users sign in with a password on its own login page and approve
 * a consent page; it issues ID tokens and, through resource indicators, JWT access tokens for one API
 * (audience = the resource) carrying the user's roles claim. Plain HTTP on loopback; every request and
 * token issued is recorded so tests can show who asked for what.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error -- oidc-provider ships no type declarations; LocalProviderApi below types what we use.
import Provider from 'oidc-provider';

export interface OidcUser {
  /** Login name typed on the sign-in page; also the token's `sub`. */
  id: string;
  password: string;
  name: string;
  email: string;
  /** Values of the roles claim (groups as the company's directory names them). */
  roles: string[];
}

export interface OidcProviderOptions {
  /** The relying party (the Temporal UI server): a confidential client of the code flow. */
  client: { id: string; secret: string; redirectUri: string };
  /** Resource indicator of the API: the access tokens' `aud`, issued to every authorization by default. */
  resource: string;
  /** Scope of that resource a client may ask for (e.g. `codec:decode`). */
  resourceScope: string;
  users: OidcUser[];
  /** Claim of the access token holding the user's roles (default `roles`). */
  rolesClaim?: string;
  /** Host name in the issuer URL (default `localhost`; the server listens on 127.0.0.1). */
  issuerHost?: string;
  accessTokenTtlSeconds?: number;
}

/** What the provider did: HTTP requests it answered and tokens it issued. */
export interface OidcProviderRecord {
  /** With the caller's user agent: the UI server (Go) exchanges codes, the API (jose) fetches the JWKS. */
  requests: { method: string; path: string; status: number; agent: string }[];
  /** `access_token.issued` / `authorization_code.saved` / `grant.success` / … with the account and client. */
  events: { event: string; accountId?: string; clientId?: string; aud?: unknown }[];
  signIns: { user: string; ok: boolean }[];
}

export interface LocalOidcProvider extends OidcProviderRecord {
  issuer: string;
  jwksUrl: string;
  close(): Promise<void>;
}

/** The part of oidc-provider's API this helper calls. */
interface LocalProviderApi {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: {
    new (init: { accountId: string; clientId: string }): GrantApi;
    find(id: string): Promise<GrantApi | undefined>;
  };
  on(event: string, listener: (...args: any[]) => void): void;
}

interface GrantApi {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family: sans-serif; max-width: 28rem; margin: 4rem auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form body too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the provider on a free loopback port; resolves once it serves its discovery document. */
export async function startOidcProvider(options: OidcProviderOptions): Promise<LocalOidcProvider> {
  const rolesClaim = options.rolesClaim ?? 'roles';
  const users = new Map(options.users.map((user) => [user.id, user]));
  const record: OidcProviderRecord = { requests: [], events: [], signIns: [] };
  // Requests are handled once the provider exists (it needs the issuer, hence the port, first).
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${options.issuerHost ?? 'localhost'}:${port}`;

  // Our own signing key (RS256, the ID token default), so nothing runs on the package's development keys.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: `test-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' };

  const accessTokenTtl = options.accessTokenTtlSeconds ?? 600;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: options.client.id,
      client_secret: options.client.secret,
      client_name: 'Temporal UI',
      redirect_uris: [options.client.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    // The UI server reads name and email from the ID token (it never calls userinfo).
    conformIdTokenClaims: false,
    async findAccount(_ctx: unknown, id: string) {
      const user = users.get(id);
      if (!user) return undefined;
      return { accountId: user.id, claims: async () => ({ sub: user.id, name: user.name, email: user.email, email_verified: true }) };
    },
    // Our own sign-in and consent pages (below), not the package's development-only ones.
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Every authorization is for the API, also when the client names no resource (the Temporal UI cannot).
        defaultResource: async () => options.resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resourceIndicator: string) => {
          if (resourceIndicator !== options.resource) throw new Error(`unknown resource ${resourceIndicator}`);
          return { scope: options.resourceScope, audience: options.resource, accessTokenTTL: accessTokenTtl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // The roles claim in the JWT access token, as the company's provider maps directory groups.
    async extraTokenClaims(_ctx: unknown, token: { accountId?: string }) {
      const user = token.accountId ? users.get(token.accountId) : undefined;
      return user ? { [rolesClaim]: user.roles } : undefined;
    },
    ttl: { AccessToken: accessTokenTtl, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
  }) as LocalProviderApi;

  for (const event of ['authorization_code.saved', 'authorization_code.consumed', 'access_token.issued', 'grant.success', 'grant.error', 'server_error']) {
    provider.on(event, (...args: any[]) => {
      const [first] = args;
      const entry: OidcProviderRecord['events'][number] = { event };
      if (first && typeof first === 'object' && 'accountId' in first) {
        entry.accountId = first.accountId;
        entry.clientId = first.clientId;
        if (first.aud !== undefined) entry.aud = first.aud;
        else if (first.resourceServer?.audience !== undefined) entry.aud = first.resourceServer.audience;
      }
      if (event === 'grant.error' || event === 'server_error') entry.aud = String(args[1]?.message ?? args[0]?.message ?? '');
      record.events.push(entry);
    });
  }

  const html = (res: ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return html(res, 400, page('Sign-in expired', '<p>Start again from the application.</p>'));
    const clientId = String(details.params.client_id);

    if (details.prompt.name === 'login') {
      const loginForm = (error?: string) => page('Sign in', `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
        <p>to continue to ${escapeHtml(clientId)}</p>
        <form method="post" action="/interaction/${uid}/login" autocomplete="off">
          <label>User name <input name="login" required autofocus></label><br>
          <label>Password <input name="password" type="password" required></label><br>
          <button type="submit">Sign in</button>
        </form>`);
      if (req.method === 'GET' && !action) return html(res, 200, loginForm());
      if (req.method === 'POST' && action === 'login') {
        const form = await formBody(req);
        const login = form.get('login') ?? '';
        const user = users.get(login);
        const ok = user !== undefined && user.password === (form.get('password') ?? '');
        record.signIns.push({ user: login, ok });
        if (!ok) return html(res, 200, loginForm('Wrong user name or password.'));
        return provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
      }
    }

    if (details.prompt.name === 'consent') {
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (req.method === 'GET' && !action) {
        const asked = [...(missing.missingOIDCScope ?? []), ...Object.entries(missing.missingResourceScopes ?? {}).map(([resource, scopes]) => `${scopes.join(' ')} on ${resource}`)];
        return html(res, 200, page('Allow access', `<p>${escapeHtml(clientId)} asks for:</p><ul>${asked.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>
          <form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>`));
      }
      if (req.method === 'POST' && action === 'confirm') {
        const accountId = details.session?.accountId;
        if (!accountId) return html(res, 400, page('Not signed in', '<p>Start again from the application.</p>'));
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
        if (!grant) return html(res, 400, page('Grant expired', '<p>Start again from the application.</p>'));
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
        const grantId = await grant.save();
        return provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
      }
    }
    return html(res, 400, page('Unexpected step', `<p>${escapeHtml(details.prompt.name)} ${escapeHtml(req.method ?? '')} ${escapeHtml(action ?? '')}</p>`));
  }

  const providerHandler = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    res.on('finish', () => record.requests.push({ method: req.method ?? 'GET', path, status: res.statusCode, agent: req.headers['user-agent'] ?? '' }));
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm))?$/.exec((req.url ?? '').split('?')[0]);
    if (!match) return providerHandler(req, res);
    interaction(req, res, match[1], match[2]).catch((err: unknown) => {
      if (!res.headersSent) html(res, 400, page('Sign-in failed', `<p>${escapeHtml((err as Error).message)}</p>`));
      else res.end();
    });
  });

  const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (discovery.status !== 200) throw new Error(`the OpenID provider's discovery answered ${discovery.status}`);
  const { jwks_uri: jwksUrl } = (await discovery.json()) as { jwks_uri: string };

  return Object.assign(record, {
    issuer,
    jwksUrl,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}
