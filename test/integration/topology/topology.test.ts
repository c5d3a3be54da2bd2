/**
 * The production topology run without containers (PostgreSQL, Temporal server v1.29.1 with PostgreSQL
 * persistence and visibility, frontend mTLS, the UI server), provisioned by the same scripts as the compose
 * file's admin jobs: what a deployment relies on actually holds. The first run builds the servers (minutes).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import nodeTls from 'node:tls';
import { Client, Connection } from '@temporalio/client';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCustomSearchAttributes, retentionMs } from '../../../scripts/lib/dev-server';
import { CASE_SEARCH_ATTRIBUTES } from '../../../scripts/lib/search-attributes';
import { findOrBuildTemporalCli } from '../../../scripts/lib/temporal-cli';
import { findOrBuildTemporalSqlTool, temporalPostgresSchemaDir } from '../../../scripts/lib/temporal-topology-binaries';
import { findOrInstallPostgres } from '../../support/postgres';
import { type Topology, clientTlsOptions, runTopologyScript, startTopology } from '../../support/topology';

const DAY_MS = 24 * 60 * 60_000;
const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);

let topology: Topology;
let tls: Awaited<ReturnType<typeof clientTlsOptions>>;

beforeAll(async () => {
  topology = await startTopology({ ui: {} });
  tls = await clientTlsOptions(topology.tls!);
}, 1_500_000);

afterAll(async () => {
  await topology?.stop();
});

/** One call that needs the frontend (connect itself already asks for the system info). */
async function systemInfo(options: Parameters<typeof Connection.connect>[0]): Promise<void> {
  const connection = await Connection.connect({ connectTimeout: 5_000, ...options });
  try {
    await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.getSystemInfo({}));
  } finally {
    await connection.close();
  }
}

async function withClient<T>(use: (client: Client, connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: topology.address, tls });
  try {
    return await use(new Client({ connection, namespace: topology.namespace }), connection);
  } finally {
    await connection.close();
  }
}

async function pollUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs a query in one of the topology's databases as the Temporal server's role; its unaligned output. */
async function sql(database: string, query: string): Promise<string> {
  const psql = path.join(await findOrInstallPostgres(), 'psql');
  const { host, port, user, password } = topology.postgres;
  return new Promise<string>((resolve, reject) =>
    execFile(psql, ['-h', host, '-p', String(port), '-U', user, '-d', database, '-qAt', '-c', query], { env: { ...process.env, PGPASSWORD: password } }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    ),
  );
}

function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function startParked(client: Client, workflowId: string, kind: string) {
  // No worker needed: the workflow stays running with its first task scheduled.
  return client.workflow.start('topologyParked', {
    taskQueue: `topology-${randomUUID()}`,
    workflowId,
    typedSearchAttributes: [{ key: CaseKind, value: kind }],
  });
}

describe('frontend mTLS', () => {
  const hostPort = () => ({ host: topology.address.split(':')[0], port: Number(topology.address.split(':')[1]) });

  it('refuses a plaintext client', async () => {
    await expect(systemInfo({ address: topology.address, connectTimeout: 2_000 })).rejects.toThrow();
    // Why: a plaintext HTTP/2 client gets no HTTP/2 answer at all, the connection just closes.
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(hostPort(), () => socket.write(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00', 'latin1')));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks)));
    });
    expect(answer.length).toBe(0);
  });

  it('refuses a TLS client without a client certificate', async () => {
    await expect(
      systemInfo({
        address: topology.address,
        connectTimeout: 2_000,
        tls: { serverRootCACertificate: tls.serverRootCACertificate, serverNameOverride: tls.serverNameOverride },
      }),
    ).rejects.toThrow();
    // Why: the server's certificate verifies, then the server ends the handshake with "certificate required".
    const failure = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const socket = nodeTls.connect({ ...hostPort(), ca: tls.serverRootCACertificate, servername: tls.serverNameOverride, ALPNProtocols: ['h2'] });
      socket.on('secureConnect', () => socket.write(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')));
      socket.on('error', resolve);
      socket.on('close', () => reject(new Error('closed without a TLS alert')));
    });
    expect(failure.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it('accepts a client with a certificate of its CA', async () => {
    await expect(systemInfo({ address: topology.address, tls })).resolves.toBeUndefined();
  });

  it("lets the server's own system worker through (it polls the namespace's system task queue)", async () => {
    await withClient(async (_client, connection) => {
      await pollUntil('a system worker poller', 30_000, async () => {
        const described = await connection.workflowService.describeTaskQueue({
          namespace: topology.namespace,
          taskQueue: { name: 'temporal-sys-per-ns-tq', kind: 1 },
          taskQueueType: 1,
        });
        return (described.pollers ?? []).length > 0 ? true : undefined;
      });
    });
  });
});

describe('namespace and search attributes (temporal-setup.sh)', () => {
  it('keeps closed workflows 30 days', async () => {
    await withClient(async (_client, connection) => {
      expect(await retentionMs(connection, topology.namespace)).toBe(30 * DAY_MS);
    });
  });

  it('has the 12 search attributes (cases and webhook deliveries) with their types', async () => {
    await withClient(async (_client, connection) => {
      const registered = await listCustomSearchAttributes(connection, topology.namespace);
      for (const { name, type } of CASE_SEARCH_ATTRIBUTES) expect([name, registered.get(name)]).toEqual([name, type]);
      expect(CASE_SEARCH_ATTRIBUTES).toHaveLength(12);
    });
  });

  it('runs again without harm (idempotent), and so does temporal-schema.sh', async () => {
    const output = await runTopologyScript('temporal-setup.sh', [], {
      TEMPORAL_CLI: await findOrBuildTemporalCli(() => undefined),
      TEMPORAL_ADDRESS: topology.address,
      TEMPORAL_NAMESPACE: topology.namespace,
      TEMPORAL_TLS_CA_FILE: topology.tls!.caFile,
      TEMPORAL_TLS_CERT_FILE: topology.tls!.certFile,
      TEMPORAL_TLS_KEY_FILE: topology.tls!.keyFile,
      TEMPORAL_TLS_SERVER_NAME: topology.tls!.serverName,
    });
    expect(output).toMatch(/namespace default updated \(retention 720h\)/);
    expect(output).toMatch(/search attributes ready on default\n/); // nothing created the second time
    const schema = await runTopologyScript('temporal-schema.sh', [], {
      TEMPORAL_SQL_TOOL: await findOrBuildTemporalSqlTool(() => undefined),
      TEMPORAL_SCHEMA_DIR: await temporalPostgresSchemaDir(),
      SQL_HOST: topology.postgres.host,
      SQL_PORT: String(topology.postgres.port),
      SQL_USER: topology.postgres.user,
      SQL_PASSWORD: topology.postgres.password,
    });
    expect(schema).toMatch(/database temporal ready[\s\S]*database temporal_visibility ready/);
    // Both databases stay at the newest schema of the release.
    const schemaDir = await temporalPostgresSchemaDir();
    for (const [database, folder] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']]) {
      const newest = (await fs.readdir(path.join(schemaDir, folder, 'versioned')))
        .map((name) => name.replace(/^v/, ''))
        .sort((a, b) => compareVersions(b, a))[0];
      expect([database, await sql(database, 'SELECT curr_version FROM schema_version')]).toEqual([database, newest]);
    }
  });
});

describe('visibility on PostgreSQL', () => {
  it('lists a started workflow by id and by search attribute, from the temporal_visibility database', async () => {
    const workflowId = `topology-visible-${randomUUID()}`;
    const kind = `topology-${randomUUID().slice(0, 8)}`;
    await withClient(async (client) => {
      await startParked(client, workflowId, kind);
      const listed = await pollUntil('the workflow in visibility', 15_000, async () => {
        for await (const execution of client.workflow.list({ query: `CaseKind = '${kind}'` })) return execution;
        return undefined;
      });
      expect(listed.workflowId).toBe(workflowId);
      expect(listed.status.name).toBe('RUNNING');
      await client.workflow.getHandle(workflowId).terminate('test done');
    });
    // The row is in PostgreSQL itself, read with the server's own role.
    const row = await sql('temporal_visibility', `SELECT workflow_id FROM executions_visibility WHERE workflow_id = '${workflowId}'`);
    expect(row).toBe(workflowId);
  });
});

describe('Temporal UI server', () => {
  it('answers /api/v1/namespaces through its mTLS connection to the frontend', async () => {
    const response = await fetch(`${topology.uiUrl}/api/v1/namespaces`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { namespaces?: { namespaceInfo?: { name?: string } }[] };
    expect(body.namespaces?.map((namespace) => namespace.namespaceInfo?.name)).toContain(topology.namespace);
  });
});

describe('server restart', () => {
  it('keeps a started workflow (state in PostgreSQL)', async () => {
    const workflowId = `topology-restart-${randomUUID()}`;
    await withClient((client) => startParked(client, workflowId, 'topology-restart'));
    await topology.restartTemporal();
    await withClient(async (client) => {
      const description = await client.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('RUNNING');
      await client.workflow.getHandle(workflowId).terminate('test done');
    });
  });
});
