/**
 * The compose file's Temporal server environment really configures the server it names: the release's own
 * container config template (the one the temporalio/server image renders) is run with the `temporal`
 * service's variables from docker-compose.yml, and the frontend then requires client certificates while
 * the server's own system worker still gets through, as the compose deployment needs.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../../support/debian-packages';
import { type Topology, clientTlsOptions, startTopology } from '../../support/topology';

const root = path.resolve(__dirname, '..', '..', '..');

/** The `temporal` service's environment as docker-compose resolves it (dummy values for the required secrets). */
function composeServerEnv(): Record<string, string> {
  const required = [
    'PAYMENT_GATEWAY_URL', 'PAYMENT_GATEWAY_SECRET', 'NOTIFICATIONS_URL', 'NOTIFICATIONS_SECRET', 'LOGISTICS_URL', 'LOGISTICS_SECRET',
    'ORDERS_URL', 'ORDERS_SECRET', 'OIDC_ISSUER_URL', 'TEMPORAL_UI_OIDC_CLIENT_ID', 'TEMPORAL_UI_OIDC_CLIENT_SECRET', 'CODEC_OIDC_AUDIENCE', 'CODEC_OIDC_ROLE_MAP',
    'GRAFANA_ADMIN_PASSWORD',
  ];
  const env = { ...process.env, ...Object.fromEntries(required.map((name) => [name, 'https://unused.invalid/'])) };
  const yaml = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: root, env, encoding: 'utf8' });
  const json = execFileSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin)["services"]["temporal"]["environment"], sys.stdout)'], {
    input: yaml,
    encoding: 'utf8',
  });
  return JSON.parse(json) as Record<string, string>;
}

let topology: Topology;
let imageEnv: Record<string, string>;

beforeAll(async () => {
  ensureDebianPackage('docker-compose');
  imageEnv = composeServerEnv();
  // The certificate carries the names the compose clients and the system worker verify.
  const names = [...new Set([imageEnv.TEMPORAL_TLS_FRONTEND_SERVER_NAME, imageEnv.TEMPORAL_TLS_INTERNODE_SERVER_NAME].filter(Boolean))];
  topology = await startTopology({ imageEnv, serverNames: names });
}, 1_500_000);

afterAll(async () => {
  await topology?.stop();
});

async function systemInfo(options: Parameters<typeof Connection.connect>[0]): Promise<void> {
  const connection = await Connection.connect({ connectTimeout: 5_000, ...options });
  try {
    await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.getSystemInfo({}));
  } finally {
    await connection.close();
  }
}

describe('the temporal service of docker-compose.yml, rendered by the release config template', () => {
  it('turns on client-certificate checks on the frontend', () => {
    expect(imageEnv.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
  });

  it('refuses clients without a certificate and accepts the compose clients', async () => {
    const tls = await clientTlsOptions(topology.tls!);
    await expect(systemInfo({ address: topology.address, connectTimeout: 2_000 })).rejects.toThrow();
    await expect(
      systemInfo({
        address: topology.address,
        connectTimeout: 2_000,
        tls: { serverRootCACertificate: tls.serverRootCACertificate, serverNameOverride: tls.serverNameOverride },
      }),
    ).rejects.toThrow();
    // As the worker, the API and the UI connect: the client certificate, verifying the name `temporal`.
    await expect(systemInfo({ address: topology.address, tls: { ...tls, serverNameOverride: 'temporal' } })).resolves.toBeUndefined();
  });

  it("lets the server's own system worker through with the internode certificate", async () => {
    const connection = await Connection.connect({ address: topology.address, tls: await clientTlsOptions(topology.tls!) });
    try {
      const deadline = Date.now() + 30_000;
      let pollers = 0;
      while (pollers === 0 && Date.now() < deadline) {
        const described = await connection.workflowService.describeTaskQueue({
          namespace: topology.namespace,
          taskQueue: { name: 'temporal-sys-per-ns-tq', kind: 1 },
          taskQueueType: 1,
        });
        pollers = (described.pollers ?? []).length;
        if (pollers === 0) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(pollers).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }
  });
});
