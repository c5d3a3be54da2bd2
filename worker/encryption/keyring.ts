/**
 * Encryption keys for case data in workflow history: several keys by id, one current. The current key
 * encrypts; every listed key decrypts, so rotation is "add a key, make it current, keep the old ones".
 * Configured from CASES_ENCRYPTION_KEYS (JSON) or CASES_ENCRYPTION_KEYS_FILE:
 *   { "current": "2026-11", "keys": { "2026-11": "<base64 of 32 bytes>", "2026-05": "<base64>" } }
 * Without configuration a fixed development key is used, which NODE_ENV=production refuses.
 */
import { readFileSync } from 'node:fs';

export interface Keyring {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** Set only on the published development keyring, which production refuses. */
  readonly development?: true;
}

/** Development only: a published key protects nothing; it keeps local histories opaque to casual reads. */
const DEVELOPMENT_KEYRING: Keyring = Object.freeze({
  currentId: 'dev-1',
  keys: new Map([['dev-1', Buffer.from('Y3MtY2FzZXMtZGV2ZWxvcG1lbnQta2V5LTMyLWJ5dGU=', 'base64')]]),
  development: true as const,
});

/** The published development keyring, for local runs and tests: refused wherever NODE_ENV=production. */
export function developmentKeyring(env: NodeJS.ProcessEnv = process.env): Keyring {
  refuseDevelopmentKeyringIn(env, DEVELOPMENT_KEYRING);
  return DEVELOPMENT_KEYRING;
}

/** Throws when `keyring` is the published development one and `env` is production. */
export function refuseDevelopmentKeyringIn(env: NodeJS.ProcessEnv, keyring: Keyring): void {
  if (keyring.development && env.NODE_ENV === 'production') {
    throw new Error('NODE_ENV=production refuses the development encryption key: it is published and protects nothing. Configure CASES_ENCRYPTION_KEYS or CASES_ENCRYPTION_KEYS_FILE');
  }
}

/** A keyring from a keys file (the same JSON as CASES_ENCRYPTION_KEYS). */
export function keyringFromFile(file: string): Keyring {
  return keyringFromJson(readFileSync(file, 'utf8'), file);
}

export function keyringFromJson(json: string, origin: string): Keyring {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${origin} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const config = raw as { current?: unknown; keys?: Record<string, unknown> };
  if (typeof config.current !== 'string' || !config.keys || typeof config.keys !== 'object') {
    throw new Error(`${origin} must be { "current": "<key id>", "keys": { "<key id>": "<base64 32 bytes>" } }`);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(config.keys)) {
    const key = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) throw new Error(`${origin}: key ${id} must be 32 bytes, base64-encoded (AES-256)`);
    keys.set(id, key);
  }
  if (!keys.has(config.current)) throw new Error(`${origin}: current key ${config.current} is not among the keys`);
  return { currentId: config.current, keys };
}

export function loadKeyring(env: NodeJS.ProcessEnv): Keyring {
  if (env.CASES_ENCRYPTION_KEYS) return keyringFromJson(env.CASES_ENCRYPTION_KEYS, 'CASES_ENCRYPTION_KEYS');
  if (env.CASES_ENCRYPTION_KEYS_FILE) return keyringFromFile(env.CASES_ENCRYPTION_KEYS_FILE);
  if (env.NODE_ENV === 'production') {
    throw new Error('NODE_ENV=production needs CASES_ENCRYPTION_KEYS or CASES_ENCRYPTION_KEYS_FILE: the development key protects nothing');
  }
  return DEVELOPMENT_KEYRING;
}
