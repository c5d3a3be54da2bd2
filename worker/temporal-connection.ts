/**
 * Where Temporal is and how to reach it, read once from the environment for every process that connects
 * (worker, API, embedded default): the address, the namespace and, in production, mutual TLS with
 * certificates from files (the frontend refuses clients without a certificate from its CA).
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

export interface TemporalConnectionConfig {
  address: string;
  namespace: string;
  /** Mutual TLS to the frontend; undefined for a plaintext (local) server. */
  tls?: TLSConfig;
}

/**
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, and for mTLS TEMPORAL_TLS_CA_FILE (the CA that signed the
 * server), TEMPORAL_TLS_CERT_FILE + TEMPORAL_TLS_KEY_FILE (this client), TEMPORAL_TLS_SERVER_NAME (the name
 * in the server certificate, when the address is not it). Production refuses a plaintext connection.
 */
export function temporalConnectionFrom(env: NodeJS.ProcessEnv): TemporalConnectionConfig {
  const config: TemporalConnectionConfig = {
    address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  };
  const { TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: serverName } = env;
  if (Boolean(cert) !== Boolean(key)) throw new Error('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together: a client certificate needs its key');
  if (ca || cert || serverName) {
    config.tls = {
      ...(serverName ? { serverNameOverride: serverName } : {}),
      ...(ca ? { serverRootCACertificate: readFileSync(ca) } : {}),
      ...(cert && key ? { clientCertPair: { crt: readFileSync(cert), key: readFileSync(key) } } : {}),
    };
  }
  if (env.NODE_ENV === 'production' && !config.tls?.clientCertPair && env.TEMPORAL_ALLOW_PLAINTEXT !== 'true') {
    throw new Error('NODE_ENV=production needs mutual TLS to Temporal: set TEMPORAL_TLS_CA_FILE, TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE (TEMPORAL_ALLOW_PLAINTEXT=true only where the network itself is trusted)');
  }
  return config;
}
