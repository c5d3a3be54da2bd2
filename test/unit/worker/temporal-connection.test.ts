/**
 * How worker and API reach Temporal, from the environment: plaintext for a local server, mutual TLS
 * from certificate files in production, and clear refusals for half-configured or plaintext production.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalConnectionFrom } from '../../../worker/temporal-connection';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-cases-tls-'));
const file = (name: string, content: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
};
const ca = file('ca.pem', 'CA');
const cert = file('client.pem', 'CERT');
const key = file('client.key', 'KEY');
const mtls = { TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key };

describe('temporalConnectionFrom', () => {
  it('defaults to the local server, plaintext, namespace default', () => {
    expect(temporalConnectionFrom({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
  });

  it('reads the CA, the client certificate pair and the server name from files', () => {
    const config = temporalConnectionFrom({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'cases', TEMPORAL_TLS_SERVER_NAME: 'temporal', ...mtls });
    expect(config.address).toBe('temporal:7233');
    expect(config.namespace).toBe('cases');
    expect(config.tls?.serverNameOverride).toBe('temporal');
    expect(Buffer.from(config.tls!.serverRootCACertificate!).toString()).toBe('CA');
    expect(Buffer.from(config.tls!.clientCertPair!.crt).toString()).toBe('CERT');
    expect(Buffer.from(config.tls!.clientCertPair!.key).toString()).toBe('KEY');
  });

  it.each([
    ['a certificate without its key', { TEMPORAL_TLS_CERT_FILE: cert }, /go together/],
    ['a key without its certificate', { TEMPORAL_TLS_KEY_FILE: key }, /go together/],
    ['production without a client certificate', { NODE_ENV: 'production' }, /needs mutual TLS/],
    ['production with server TLS only', { NODE_ENV: 'production', TEMPORAL_TLS_CA_FILE: ca }, /needs mutual TLS/],
    ['a missing file', { TEMPORAL_TLS_CA_FILE: path.join(dir, 'absent.pem') }, /ENOENT/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => temporalConnectionFrom(env)).toThrow(message);
  });

  it('lets production opt out of mTLS only explicitly', () => {
    expect(temporalConnectionFrom({ NODE_ENV: 'production', TEMPORAL_ALLOW_PLAINTEXT: 'true' }).tls).toBeUndefined();
    expect(temporalConnectionFrom({ NODE_ENV: 'production', ...mtls }).tls?.clientCertPair).toBeDefined();
  });
});
