/**
 * The payload codec: AES-256-GCM with key ids, rotation (old keys decrypt, the current one encrypts),
 * tamper detection, and keyring configuration (development key refused in production).
 */
import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmCodec, ENCRYPTED_ENCODING, UnknownEncryptionKeyError, developmentKeyring, keyringFromJson, loadKeyring } from '../../../worker/encryption';

const key = () => randomBytes(32).toString('base64');
const payload = (text: string): Payload => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(text) });
const textOf = (p: Payload) => new TextDecoder().decode(p.data ?? new Uint8Array());

describe('AesGcmCodec', () => {
  const k1 = key();
  const k2 = key();
  const old = keyringFromJson(JSON.stringify({ current: 'k1', keys: { k1 } }), 'test');
  const rotated = keyringFromJson(JSON.stringify({ current: 'k2', keys: { k1, k2 } }), 'test');

  it('encrypts: no plaintext on the wire, the key id named, a fresh IV each time', async () => {
    const codec = new AesGcmCodec(old);
    const [a, b] = await codec.encode([payload('{"customerRef":"cust-7f3a"}'), payload('{"customerRef":"cust-7f3a"}')]);
    expect(Buffer.from(a.data!).includes('cust-7f3a')).toBe(false);
    expect(new TextDecoder().decode(a.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(new TextDecoder().decode(a.metadata!['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
    expect(textOf((await codec.decode([a]))[0])).toBe('{"customerRef":"cust-7f3a"}');
  });

  it('after rotation the current key encrypts and the old key still decrypts', async () => {
    const [sealedByOld] = await new AesGcmCodec(old).encode([payload('before rotation')]);
    const codec = new AesGcmCodec(rotated);
    const [sealedByNew] = await codec.encode([payload('after rotation')]);
    expect(new TextDecoder().decode(sealedByNew.metadata!['encryption-key-id'])).toBe('k2');
    expect((await codec.decode([sealedByOld, sealedByNew])).map(textOf)).toEqual(['before rotation', 'after rotation']);
  });

  it('refuses a payload whose key is gone, and a tampered one', async () => {
    const [sealed] = await new AesGcmCodec(rotated).encode([payload('x')]);
    const told: Array<string | undefined> = [];
    const failure = await new AesGcmCodec(old, { onUnknownKey: (id) => told.push(id) }).decode([sealed]).catch((err: unknown) => err);
    // A named error (the worker's failed task names it) and one notice, naming only the key id.
    expect(failure).toBeInstanceOf(UnknownEncryptionKeyError);
    expect(failure).toMatchObject({ name: 'UnknownEncryptionKeyError', keyId: 'k2', message: expect.stringMatching(/no decryption key k2/) });
    expect(told).toEqual(['k2']);
    const tampered = { ...sealed, data: Uint8Array.from(sealed.data!, (byte, i) => (i === 20 ? byte ^ 1 : byte)) };
    await expect(new AesGcmCodec(rotated).decode([tampered])).rejects.toThrow();
  });

  it('passes through payloads that were never encrypted', async () => {
    const plain = payload('legacy');
    expect(await new AesGcmCodec(old).decode([plain])).toEqual([plain]);
  });
});

describe('keyring configuration', () => {
  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no current', JSON.stringify({ keys: { a: key() } }), /must be/],
    ['short key', JSON.stringify({ current: 'a', keys: { a: Buffer.alloc(16).toString('base64') } }), /32 bytes/],
    ['current missing', JSON.stringify({ current: 'b', keys: { a: key() } }), /not among the keys/],
  ])('rejects %s', (_name, json, message) => {
    expect(() => keyringFromJson(json, 'CASES_ENCRYPTION_KEYS')).toThrow(message);
  });

  it('uses the development key only outside production', () => {
    expect(loadKeyring({}).currentId).toBe('dev-1');
    expect(() => loadKeyring({ NODE_ENV: 'production' })).toThrow(/CASES_ENCRYPTION_KEYS/);
    const configured = loadKeyring({ NODE_ENV: 'production', CASES_ENCRYPTION_KEYS: JSON.stringify({ current: 'p1', keys: { p1: key() } }) });
    expect(configured.currentId).toBe('p1');
  });

  it('hands out the published development keyring only outside production, marked as such', () => {
    expect(developmentKeyring({}).development).toBe(true);
    expect(() => developmentKeyring({ NODE_ENV: 'production' })).toThrow(/refuses the development encryption key/);
    expect(keyringFromJson(JSON.stringify({ current: 'p1', keys: { p1: key() } }), 'test').development).toBeUndefined();
  });
});
