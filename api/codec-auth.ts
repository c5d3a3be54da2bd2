/**
 * Signing supervisors in on the codec endpoint with the company's OpenID Connect provider: the Temporal UI
 * (TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true) forwards the user's access token as `Authorization: Bearer <jwt>`.
 * This module reads that configuration from the environment (`codecAuthFrom`), verifies a token (issuer,
 * audience, expiry, allowed algorithms, signature against the provider's JWKS, fetched once and cached) and
 * maps a claim of the token to staff roles. Only /codec uses it; API keys keep working everywhere.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { ROLES, type Role } from '../workflows/domain/case';
import { Problem, RETRY_AFTER_UNAVAILABLE_S } from './problems';

/** Roles that act for every merchant and may therefore read any case's payloads in the UI. */
export const CODEC_STAFF_ROLES: readonly Role[] = ['agent', 'supervisor', 'arbiter', 'admin'];

/** Asymmetric algorithms a provider's JWKS can verify; `none` and shared-secret (HS*) ones never. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export interface CodecOidcConfig {
  /** Expected `iss`, exactly as the provider writes it (trailing slash included or not). */
  issuer: string;
  /** Expected `aud`: the token must name at least one of these. */
  audience: string[];
  /** The provider's JWKS; when absent it is discovered from `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** Dot path of the claim holding the user's groups or roles (`roles`, `realm_access.roles`, `groups`). */
  rolesClaim: string;
  /** Claim value → role of this API (`{"cs-supervisors": "supervisor"}`); unmapped values are ignored. */
  roleMap: Record<string, Role>;
  /** Signature algorithms accepted. */
  algorithms: string[];
  /** Leeway for `exp`/`nbf` against clock skew, in seconds. */
  clockToleranceSeconds: number;
}

/** Who a verified token names: subject and the roles its claim maps to. */
export interface CodecIdentity {
  subject: string;
  roles: Role[];
}

const DEFAULT_ROLES_CLAIM = 'roles';
const DEFAULT_CLOCK_TOLERANCE_S = 30;
const DISCOVERY_RETRY_AFTER_MS = 10_000;
/** Longest bearer token accepted as a JWT (some providers' access tokens run to a few KiB). */
const MAX_JWT_LENGTH = 16_384;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const isLoopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

function parseUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(`${name} must be an https:// URL (plain http only on loopback), got ${value}`);
  }
  return url;
}

function parseRoleMap(json: string): Record<string, Role> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`CODEC_OIDC_ROLE_MAP is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error('CODEC_OIDC_ROLE_MAP must be a JSON object of claim value → role, e.g. {"cs-supervisors":"supervisor"}');
  }
  const map: Record<string, Role> = {};
  for (const [value, role] of Object.entries(raw)) {
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new Error(`CODEC_OIDC_ROLE_MAP maps ${JSON.stringify(value)} to unknown role ${JSON.stringify(role)}; roles are ${ROLES.join(', ')}`);
    }
    map[value] = role as Role;
  }
  if (Object.keys(map).length === 0) throw new Error('CODEC_OIDC_ROLE_MAP is empty: no token could ever map to a role');
  return map;
}

/**
 * The codec's OpenID Connect configuration from the environment, or undefined when `CODEC_OIDC_ISSUER` is
 * unset (then /codec takes API keys only). Throws a message naming the variable on any bad value.
 *
 *   CODEC_OIDC_ISSUER          issuer URL (https; http only on loopback)
 *   CODEC_OIDC_AUDIENCE        expected audience(s), comma-separated; required with the issuer
 *   CODEC_OIDC_JWKS_URL        JWKS URL; default: discovered from the issuer's openid-configuration
 *   CODEC_OIDC_ROLES_CLAIM     dot path of the roles/groups claim; default `roles`
 *   CODEC_OIDC_ROLE_MAP        JSON object claim value → role; required with the issuer
 *   CODEC_OIDC_ALGORITHMS      accepted algorithms, comma-separated; default all asymmetric ones
 */
export function codecAuthFrom(env: NodeJS.ProcessEnv): CodecOidcConfig | undefined {
  const issuer = env.CODEC_OIDC_ISSUER?.trim();
  if (!issuer) {
    const stray = ['CODEC_OIDC_AUDIENCE', 'CODEC_OIDC_JWKS_URL', 'CODEC_OIDC_ROLE_MAP'].filter((name) => env[name]?.trim());
    if (stray.length > 0) throw new Error(`${stray.join(', ')} set without CODEC_OIDC_ISSUER`);
    return undefined;
  }
  parseUrl(issuer, 'CODEC_OIDC_ISSUER');
  const audience = (env.CODEC_OIDC_AUDIENCE ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  if (audience.length === 0) throw new Error('CODEC_OIDC_ISSUER needs CODEC_OIDC_AUDIENCE: the audience access tokens for this API carry');
  const jwksUrl = env.CODEC_OIDC_JWKS_URL?.trim() || undefined;
  if (jwksUrl) parseUrl(jwksUrl, 'CODEC_OIDC_JWKS_URL');
  const rolesClaim = env.CODEC_OIDC_ROLES_CLAIM?.trim() || DEFAULT_ROLES_CLAIM;
  if (rolesClaim.split('.').some((segment) => segment === '')) throw new Error(`CODEC_OIDC_ROLES_CLAIM ${JSON.stringify(rolesClaim)} is not a dot path`);
  if (!env.CODEC_OIDC_ROLE_MAP?.trim()) throw new Error('CODEC_OIDC_ISSUER needs CODEC_OIDC_ROLE_MAP, e.g. {"cs-supervisors":"supervisor","cs-agents":"agent"}');
  const roleMap = parseRoleMap(env.CODEC_OIDC_ROLE_MAP);
  const algorithms = env.CODEC_OIDC_ALGORITHMS?.trim()
    ? env.CODEC_OIDC_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean)
    : [...ASYMMETRIC_ALGORITHMS];
  const refused = algorithms.filter((a) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a));
  if (refused.length > 0) throw new Error(`CODEC_OIDC_ALGORITHMS may list only ${ASYMMETRIC_ALGORITHMS.join(', ')}; refused: ${refused.join(', ')}`);
  return { issuer, audience, ...(jwksUrl ? { jwksUrl } : {}), rolesClaim, roleMap, algorithms, clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_S };
}

/**
 * The string values at a dot path of the claims. A string claim is one value, an array claim its string
 * elements. At each level the longest key that matches wins, so namespaced claims with dots in their name
 * (`https://example.com/roles`) resolve as a whole.
 */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  const resolve = (node: unknown, segments: string[]): unknown => {
    if (segments.length === 0) return node;
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    for (let take = segments.length; take >= 1; take--) {
      const key = segments.slice(0, take).join('.');
      if (Object.prototype.hasOwnProperty.call(node, key)) {
        const found = resolve((node as Record<string, unknown>)[key], segments.slice(take));
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const value = resolve(claims, path.split('.'));
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The roles of this API a token's claims map to, each once, in the order the claim lists them. */
export function rolesFromClaims(claims: Record<string, unknown>, config: Pick<CodecOidcConfig, 'rolesClaim' | 'roleMap'>): Role[] {
  const roles: Role[] = [];
  for (const value of claimValues(claims, config.rolesClaim)) {
    const role = Object.prototype.hasOwnProperty.call(config.roleMap, value) ? config.roleMap[value] : undefined;
    if (role && !roles.includes(role)) roles.push(role);
  }
  return roles;
}

/** Whether a bearer credential is a JWT (three base64url parts) rather than an API key secret. */
export function looksLikeJwt(token: string): boolean {
  return token.length <= MAX_JWT_LENGTH && JWT_SHAPE.test(token);
}

/** A refusal for the codec: the answer, plus the reason and non-secret facts for the log line. */
export class CodecAuthRefusal extends Problem {
  constructor(status: 401 | 403 | 503, detail: string, readonly reason: string, readonly logFields: Record<string, unknown> = {}) {
    super(
      status,
      status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'identity-provider-unavailable',
      detail,
      {},
      status === 401
        ? { 'www-authenticate': `Bearer error="invalid_token", error_description="${detail.replace(/["\\]/g, '')}"` }
        : status === 503 ? { 'retry-after': String(RETRY_AFTER_UNAVAILABLE_S) } : {},
    );
  }
}

export interface CodecTokenVerifier {
  /** The identity of a valid token with a staff role; throws a CodecAuthRefusal otherwise. */
  verify(token: string): Promise<CodecIdentity>;
}

const invalid = (detail: string, reason: string, fields: Record<string, unknown> = {}) => new CodecAuthRefusal(401, detail, reason, fields);

/** A JOSE failure as the refusal the caller sees; anything else (provider unreachable) is a 503. */
function refusalOf(err: unknown, config: CodecOidcConfig): CodecAuthRefusal {
  if (err instanceof CodecAuthRefusal) return err;
  if (err instanceof errors.JWTExpired) return invalid('The token has expired', 'expired', { sub: err.payload.sub, exp: err.payload.exp });
  if (err instanceof errors.JWTClaimValidationFailed) {
    const fields = { sub: err.payload.sub, claim: err.claim };
    switch (err.claim) {
      case 'aud': return invalid(`The token's audience is not this API (expected ${config.audience.join(' or ')})`, 'wrong-audience', { ...fields, aud: err.payload.aud });
      case 'iss': return invalid(`The token was issued by another issuer (expected ${config.issuer})`, 'wrong-issuer', { ...fields, iss: err.payload.iss });
      case 'nbf': return invalid('The token is not valid yet', 'not-yet-valid', fields);
      case 'exp': return invalid('The token has no expiry', 'no-expiry', fields);
      default: return invalid(`The token's ${err.claim} claim is invalid`, 'invalid-claim', fields);
    }
  }
  if (err instanceof errors.JWKSNoMatchingKey) return invalid('The token is signed with a key the identity provider does not publish (unknown signing key)', 'unknown-key');
  if (err instanceof errors.JWKSMultipleMatchingKeys) return invalid('The token names no key id (kid) and the identity provider publishes several keys', 'ambiguous-key');
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('The token\'s signature is invalid (bad signature)', 'bad-signature');
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return invalid(`The token's signing algorithm is not allowed (allowed: ${config.algorithms.join(', ')})`, 'algorithm-not-allowed');
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return invalid('The token is not a well-formed signed JWT', 'malformed');
  return new CodecAuthRefusal(503, 'The identity provider\'s signing keys could not be fetched; try again shortly', 'jwks-unavailable', { error: (err as Error)?.message });
}

/**
 * A verifier for one configuration. The JWKS (and, without `jwksUrl`, the discovery document) is fetched on
 * first use and cached: jose refetches the set at most every `cacheMaxAge`, or sooner for an unknown key
 * id but not within `cooldownDuration` of the last fetch, so unknown-kid tokens cannot make us hammer the
 * provider. `fetchTimeoutMs` bounds each call to the provider.
 */
export function createCodecTokenVerifier(config: CodecOidcConfig, options: { fetchTimeoutMs?: number } = {}): CodecTokenVerifier {
  const timeoutDuration = options.fetchTimeoutMs ?? 5_000;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let discovering: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  let discoveryFailedAt = -Infinity;

  const discover = async (): Promise<URL> => {
    const url = `${config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutDuration) });
    if (response.status !== 200) throw new Error(`OpenID discovery answered ${response.status}`);
    const document = await response.json() as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0 §4.3: the document must name exactly the issuer it was fetched for.
    if (document.issuer !== config.issuer) throw new Error(`OpenID discovery names issuer ${String(document.issuer)}, not ${config.issuer}`);
    if (typeof document.jwks_uri !== 'string') throw new Error('OpenID discovery names no jwks_uri');
    return parseUrl(document.jwks_uri, 'jwks_uri of the OpenID discovery document');
  };

  const keySet = async (): Promise<ReturnType<typeof createRemoteJWKSet>> => {
    if (jwks) return jwks;
    if (!discovering) {
      if (Date.now() - discoveryFailedAt < DISCOVERY_RETRY_AFTER_MS) throw new Error('OpenID discovery failed moments ago');
      discovering = (config.jwksUrl ? Promise.resolve(new URL(config.jwksUrl)) : discover()).then(
        (url) => (jwks = createRemoteJWKSet(url, { timeoutDuration, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })),
        (err: unknown) => {
          discoveryFailedAt = Date.now();
          discovering = undefined;
          throw err;
        },
      );
    }
    return discovering;
  };

  return {
    async verify(token) {
      let claims: JWTPayload;
      try {
        const verified = await jwtVerify(token, await keySet(), {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: config.algorithms,
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ['exp'],
        });
        claims = verified.payload;
      } catch (err) {
        throw refusalOf(err, config);
      }
      const roles = rolesFromClaims(claims, config);
      const subject = typeof claims.sub === 'string' ? claims.sub : '(no sub)';
      if (!roles.some((role) => CODEC_STAFF_ROLES.includes(role))) {
        const mapped = roles.length > 0 ? `maps only to ${roles.join(', ')}` : `maps to no role`;
        throw new CodecAuthRefusal(403, `The token's ${config.rolesClaim} claim ${mapped}; only platform staff (${CODEC_STAFF_ROLES.join(', ')}) may read case payloads`, 'no-staff-role', { sub: subject, roles });
      }
      return { subject, roles };
    },
  };
}
