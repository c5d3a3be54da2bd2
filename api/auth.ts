/**
 * API keys: who is calling, with which role and merchant scope. Keys come from `API_KEYS` (JSON) or
 * `API_KEYS_FILE` (path to the same JSON): `[{ id, role, merchants: [..] | "*", secretSha256 }]`. Only the
 * SHA-256 of a secret is kept; a presented bearer token is hashed and compared in constant time.
 * Development keys (secret = id) are on by default and refused when NODE_ENV=production.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROLES, type Actor, type Role } from '../workflows/domain/case';
import { Problem } from './problems';

export interface ApiKey {
  id: string;
  role: Role;
  merchants: string[] | '*';
}

export interface ApiKeyStore {
  /** The key a bearer token belongs to, or null. */
  find(token: string): ApiKey | null;
  readonly size: number;
}

const apiKeyConfigSchema = z.array(z.object({
  id: z.string().min(1).max(100),
  role: z.enum(ROLES),
  merchants: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]),
  secretSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'secretSha256 must be 64 hex characters'),
}).strict());
export type ApiKeyConfig = z.infer<typeof apiKeyConfigSchema>[number];

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Development keys: the secret equals the id. Documented in the README; refused in production. */
export const DEVELOPMENT_KEYS: readonly ApiKey[] = [
  { id: 'dev-admin', role: 'admin', merchants: '*' },
  { id: 'dev-supervisor', role: 'supervisor', merchants: '*' },
  { id: 'dev-agent', role: 'agent', merchants: '*' },
  { id: 'dev-arbiter', role: 'arbiter', merchants: '*' },
  { id: 'dev-channel', role: 'channel', merchants: '*' },
  { id: 'dev-merchant-a', role: 'merchant', merchants: ['m-a'] },
  { id: 'dev-merchant-b', role: 'merchant', merchants: ['m-b'] },
];
/** Alias used by scripts/start.ts to print the development keys. */
export const DEV_KEYS = DEVELOPMENT_KEYS;
const DEVELOPMENT_KEY_IDS = new Set(DEVELOPMENT_KEYS.map((k) => k.id));

export function createApiKeyStore(configs: readonly ApiKeyConfig[]): ApiKeyStore {
  const entries = configs.map((c) => ({
    key: { id: c.id, role: c.role, merchants: c.merchants === '*' ? '*' as const : [...c.merchants] },
    digest: Buffer.from(c.secretSha256.toLowerCase(), 'hex'),
  }));
  const ids = new Set<string>();
  for (const { key } of entries) {
    if (ids.has(key.id)) throw new Error(`API key id ${key.id} is configured twice`);
    ids.add(key.id);
  }
  return {
    size: entries.length,
    find(token) {
      const presented = createHash('sha256').update(token, 'utf8').digest();
      let found: ApiKey | null = null;
      // Compare with every key (no early exit) so timing says nothing about which digest came close.
      for (const entry of entries) {
        if (timingSafeEqual(presented, entry.digest)) found = entry.key;
      }
      return found;
    },
  };
}

function parseKeyConfig(json: string, origin: string): ApiKeyConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${origin} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = apiKeyConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${origin} is not a valid API key list: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The key store the environment asks for: `API_KEYS` or `API_KEYS_FILE`, else the development keys.
 * With NODE_ENV=production, development keys are refused wherever they come from.
 */
export function loadApiKeys(env: NodeJS.ProcessEnv): ApiKeyStore {
  const production = env.NODE_ENV === 'production';
  let configs: ApiKeyConfig[];
  if (env.API_KEYS) configs = parseKeyConfig(env.API_KEYS, 'API_KEYS');
  else if (env.API_KEYS_FILE) configs = parseKeyConfig(readFileSync(env.API_KEYS_FILE, 'utf8'), `API_KEYS_FILE ${env.API_KEYS_FILE}`);
  else if (production) throw new Error('NODE_ENV=production needs API_KEYS or API_KEYS_FILE; the development keys are refused');
  else configs = DEVELOPMENT_KEYS.map((k) => ({ ...k, secretSha256: sha256Hex(k.id) }));

  if (production) {
    const dev = configs.filter((c) => DEVELOPMENT_KEY_IDS.has(c.id) || c.secretSha256.toLowerCase() === sha256Hex(c.id));
    if (dev.length > 0) throw new Error(`NODE_ENV=production refuses development keys: ${dev.map((c) => c.id).join(', ')}`);
  }
  return createApiKeyStore(configs);
}

/** The key behind an `Authorization: Bearer <secret>` header; 401 otherwise (never saying why). */
export function authenticate(store: ApiKeyStore, authorization: string | undefined): ApiKey {
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization ?? '');
  const key = match ? store.find(match[1]) : null;
  if (!key) throw new Problem(401, 'unauthorized', 'A valid API key is required: Authorization: Bearer <key>', {}, { 'www-authenticate': 'Bearer' });
  return key;
}

/** The actor the workflows see: the key, plus the pseudonymous person the body names. */
export function actorOf(key: ApiKey, actorRef?: string): Actor {
  return { keyId: key.id, role: key.role, merchants: key.merchants, ...(actorRef ? { actorRef } : {}) };
}

export function requireRole(key: ApiKey, roles: readonly Role[], what: string): void {
  if (!roles.includes(key.role)) throw new Problem(403, 'forbidden', `Role ${key.role} may not ${what}`, { role: key.role, allowedRoles: roles });
}
