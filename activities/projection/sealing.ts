/**
 * A case view holds customer data: the projection stores it sealed by the same payload codecs that encrypt
 * history (the deployment's keyring, its rotation included), as one JSON text of the encoded payload.
 */
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';

export interface Sealer {
  seal(value: unknown): Promise<string>;
  open<T>(sealed: string): Promise<T>;
}

interface StoredPayload {
  metadata: Record<string, string>;
  data: string;
}

export function payloadSealer(codecs: readonly PayloadCodec[]): Sealer {
  return {
    async seal(value) {
      let payloads: Payload[] = [defaultPayloadConverter.toPayload(value)];
      for (const codec of codecs) payloads = await codec.encode(payloads);
      const [payload] = payloads;
      const stored: StoredPayload = {
        metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
      };
      return JSON.stringify(stored);
    },
    async open<T>(sealed: string) {
      const stored = JSON.parse(sealed) as StoredPayload;
      let payloads: Payload[] = [{
        metadata: Object.fromEntries(Object.entries(stored.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        data: Buffer.from(stored.data, 'base64'),
      }];
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      return defaultPayloadConverter.fromPayload<T>(payloads[0]);
    },
  };
}
