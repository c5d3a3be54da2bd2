/** The data converter the plugin, the worker and the API client share: encrypted payloads. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { loadKeyring, type Keyring } from './keyring';

export { AesGcmCodec, ENCRYPTED_ENCODING } from './aes-gcm-codec';
export { loadKeyring, keyringFromJson, type Keyring } from './keyring';

export function encryptedDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keyring)] };
}

export function dataConverterFrom(env: NodeJS.ProcessEnv): DataConverter {
  return encryptedDataConverter(loadKeyring(env));
}
