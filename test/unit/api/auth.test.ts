/**
 * API keys: development keys by default and never in production, keys from env JSON or a file, hashed
 * secrets compared by digest, and the 401 answer for missing, malformed or unknown bearer tokens.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_KEYS, actorOf, authenticate, loadApiKeys, sha256Hex } from '../../../api/auth';
import { Problem } from '../../../api/problems';

const keyConfig = (id: string, secret: string, extra: Record<string, unknown> = {}) => ({ id, role: 'agent', merchants: '*', secretSha256: sha256Hex(secret), ...extra });

describe('loadApiKeys', () => {
  it('accepts the seven development keys by default, secret = id, with their roles and scopes', () => {
    const store = loadApiKeys({});
    expect(store.size).toBe(7);
    expect(store.find('dev-admin')).toEqual({ id: 'dev-admin', role: 'admin', merchants: '*' });
    expect(store.find('dev-channel')).toEqual({ id: 'dev-channel', role: 'channel', merchants: '*' });
    expect(store.find('dev-merchant-a')).toEqual({ id: 'dev-merchant-a', role: 'merchant', merchants: ['m-a'] });
    expect(store.find('dev-merchant-b')).toEqual({ id: 'dev-merchant-b', role: 'merchant', merchants: ['m-b'] });
    expect(DEVELOPMENT_KEYS.map((k) => k.id)).toEqual(['dev-admin', 'dev-supervisor', 'dev-agent', 'dev-arbiter', 'dev-channel', 'dev-merchant-a', 'dev-merchant-b']);
    expect(store.find('dev-nobody')).toBeNull();
  });

  it('refuses development keys with NODE_ENV=production: by default, configured by id, or with secret = id', () => {
    expect(() => loadApiKeys({ NODE_ENV: 'production' })).toThrow(/API_KEYS/);
    const devById = JSON.stringify([{ ...keyConfig('dev-admin', 'a-long-random-secret'), role: 'admin' }]);
    expect(() => loadApiKeys({ NODE_ENV: 'production', API_KEYS: devById })).toThrow(/dev-admin/);
    const secretIsId = JSON.stringify([keyConfig('ops-desk', 'ops-desk')]);
    expect(() => loadApiKeys({ NODE_ENV: 'production', API_KEYS: secretIsId })).toThrow(/ops-desk/);
    const proper = JSON.stringify([keyConfig('ops-desk', 's3cr3t-0f-0ps')]);
    expect(loadApiKeys({ NODE_ENV: 'production', API_KEYS: proper }).find('s3cr3t-0f-0ps')?.id).toBe('ops-desk');
  });

  it('reads API_KEYS as JSON and only those keys (development keys are then off)', () => {
    const store = loadApiKeys({ API_KEYS: JSON.stringify([keyConfig('desk-1', 'top-secret', { role: 'merchant', merchants: ['m-x'] })]) });
    expect(store.find('top-secret')).toEqual({ id: 'desk-1', role: 'merchant', merchants: ['m-x'] });
    expect(store.find('desk-1')).toBeNull();
    expect(store.find('dev-admin')).toBeNull();
  });

  it('rotates a secret without downtime: old and new keys side by side, then the old one removed', () => {
    const old = keyConfig('oms-2026-05', 'old-secret-5c1f', { role: 'channel' });
    const fresh = keyConfig('oms-2026-11', 'new-secret-9a7e', { role: 'channel' });
    const during = loadApiKeys({ NODE_ENV: 'production', API_KEYS: JSON.stringify([old, fresh]) });
    expect(during.find('old-secret-5c1f')?.id).toBe('oms-2026-05');
    expect(during.find('new-secret-9a7e')?.id).toBe('oms-2026-11');
    const after = loadApiKeys({ NODE_ENV: 'production', API_KEYS: JSON.stringify([fresh]) });
    expect(after.find('old-secret-5c1f')).toBeNull();
    expect(after.find('new-secret-9a7e')?.role).toBe('channel');
  });

  it('reads API_KEYS_FILE', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cs-keys-'));
    const file = path.join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([keyConfig('file-key', 'from-a-file', { role: 'arbiter' })]));
    expect(loadApiKeys({ API_KEYS_FILE: file }).find('from-a-file')).toEqual({ id: 'file-key', role: 'arbiter', merchants: '*' });
  });

  it('fails loudly on malformed configuration', () => {
    expect(() => loadApiKeys({ API_KEYS: 'not json' })).toThrow(/not valid JSON/);
    expect(() => loadApiKeys({ API_KEYS: JSON.stringify([{ id: 'x', role: 'overlord', merchants: '*', secretSha256: sha256Hex('x') }]) })).toThrow(/role/);
    expect(() => loadApiKeys({ API_KEYS: JSON.stringify([{ ...keyConfig('x', 'y'), secretSha256: 'abc' }]) })).toThrow(/secretSha256/);
    expect(() => loadApiKeys({ API_KEYS: JSON.stringify([keyConfig('x', 'y'), keyConfig('x', 'z')]) })).toThrow(/twice/);
    expect(() => loadApiKeys({ API_KEYS: JSON.stringify([{ ...keyConfig('x', 'y'), extra: 1 }]) })).toThrow();
  });
});

describe('authenticate', () => {
  const store = loadApiKeys({});

  it('finds the key behind a bearer token', () => {
    expect(authenticate(store, 'Bearer dev-agent').role).toBe('agent');
  });

  it.each([undefined, '', 'dev-agent', 'Basic dev-agent', 'Bearer ', 'Bearer wrong', 'bearer dev-agent', 'Bearer dev-agent extra'])('answers 401 for %j', (header) => {
    let thrown: unknown;
    try {
      authenticate(store, header);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect((thrown as Problem).status).toBe(401);
    expect((thrown as Problem).slug).toBe('unauthorized');
  });

  it('turns a key into the actor the workflows see, with the actorRef when given', () => {
    const key = authenticate(store, 'Bearer dev-merchant-a');
    expect(actorOf(key, 'p-42')).toEqual({ keyId: 'dev-merchant-a', role: 'merchant', merchants: ['m-a'], actorRef: 'p-42' });
    expect(actorOf(key)).toEqual({ keyId: 'dev-merchant-a', role: 'merchant', merchants: ['m-a'] });
  });
});
