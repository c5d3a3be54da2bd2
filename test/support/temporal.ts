/**
 * Helpers for integration tests against the run's Temporal server (started by global-setup.ts): a client
 * on the injected address and namespace, and task queue names no other test file or run shares.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { inject } from 'vitest';

export function temporalAddress(): string {
  return inject('temporalAddress');
}

export function temporalNamespace(): string {
  return inject('temporalNamespace');
}

/** A Client on the run's server and namespace. Close it with `client.connection.close()` in afterAll. */
export async function testConnection(options: { dataConverter?: DataConverter } = {}): Promise<Client> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return new Client({ connection, namespace: temporalNamespace(), ...options });
}

/** `name` plus a suffix unique to this process and call: workers of other files never steal its tasks. */
export function uniqueTaskQueue(name: string): string {
  return `${name}-${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
