/**
 * Payload codec that encrypts every payload (case inputs, views, signals, results, memo) with AES-256-GCM
 * before it reaches Temporal, so customer data never sits in history in plain text. Each payload names the
 * key that encrypted it; old keys keep decrypting after rotation. Search attributes and ids are not
 * payloads: they must never hold personal data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (value: string) => new TextEncoder().encode(value);
const decodeText = (value: Uint8Array | null | undefined) => (value ? new TextDecoder().decode(value) : undefined);

/**
 * A payload was encrypted under a key this keyring lacks (a rotation that reached the API before the
 * worker, a keys file left behind). The worker fails the workflow task with it and retries: the case
 * waits, nothing is lost, and it resumes once the key is added.
 */
export class UnknownEncryptionKeyError extends Error {
  override readonly name = 'UnknownEncryptionKeyError';
  constructor(readonly keyId: string | undefined) {
    super(`no decryption key ${keyId ?? '(none named)'}: add it to the keyring to read these payloads`);
  }
}

export interface AesGcmCodecOptions {
  /** Told once per decode that meets an unknown key (a log line, a counter), before the error is thrown. */
  onUnknownKey?: (keyId: string | undefined) => void;
}

export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring, private readonly options: AesGcmCodecOptions = {}) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyring.currentId;
    const key = this.keyring.keys.get(keyId)!;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: text(ENCRYPTED_ENCODING), [KEY_ID]: text(keyId) }, data: new Uint8Array(sealed) };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (decodeText(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = decodeText(payload.metadata?.[KEY_ID]);
      const key = keyId ? this.keyring.keys.get(keyId) : undefined;
      if (!key) {
        this.options.onUnknownKey?.(keyId);
        throw new UnknownEncryptionKeyError(keyId);
      }
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      const iv = sealed.subarray(0, IV_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
