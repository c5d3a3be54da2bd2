/** The data converter the plugin, the worker and the API client share: encrypted payloads. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec, type AesGcmCodecOptions } from './aes-gcm-codec';
import { loadKeyring, type Keyring } from './keyring';

export { AesGcmCodec, ENCRYPTED_ENCODING, UnknownEncryptionKeyError, type AesGcmCodecOptions } from './aes-gcm-codec';
export { developmentKeyring, keyringFromFile, keyringFromJson, loadKeyring, refuseDevelopmentKeyringIn, type Keyring } from './keyring';

export function encryptedDataConverter(keyring: Keyring, options: AesGcmCodecOptions = {}): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keyring, options)] };
}

export function dataConverterFrom(env: NodeJS.ProcessEnv): DataConverter {
  return encryptedDataConverter(loadKeyring(env));
}
