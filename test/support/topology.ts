/**
 * The production topology without containers, for tests: PostgreSQL, the Temporal server (the compose
 * image's release, PostgreSQL persistence and visibility, mTLS on the frontend) and optionally the Temporal
 * UI server, provisioned with the same scripts as docker-compose.yml's admin jobs (scripts/topology).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, promises as fs, openSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePorts } from '../../scripts/lib/dev-server';
import { type Log, cachedGoBinaryPath, formatDuration, isAlive } from '../../scripts/lib/go-build';
import { TEMPORAL_CLI_BUILD, cachedTemporalCliPath, findOnPath, findOrBuildTemporalCli } from '../../scripts/lib/temporal-cli';
import {
  TEMPORAL_SERVER_BUILD,
  TEMPORAL_SQL_TOOL_BUILD,
  TEMPORAL_UI_SERVER_BUILD,
  findOrBuildTemporalServer,
  findOrBuildTemporalSqlTool,
  findOrBuildTemporalUiServer,
  temporalPostgresSchemaDir,
  temporalServerConfigDir,
  temporalUiConfigTemplate,
} from '../../scripts/lib/temporal-topology-binaries';
import { type Postgres, readTail, startPostgres } from './postgres';

export const TOPOLOGY_SCRIPTS_DIR = path.resolve(__dirname, '..', '..', 'scripts', 'topology');
/** Membership ports are stored in a smallint column: a larger one kills the server a second after start. */
const MAX_MEMBERSHIP_PORT = 32767;
const SERVER_NAME = 'localhost';
const WORK_DIR_PREFIX = 'cs-cases-topology-';

/** The case projection's database the schema job creates (compose: CASES_PROJECTION_DB). */
export const TOPOLOGY_PROJECTION_DB = 'cs_cases';

export interface TopologyUiOptions {
  /** Remote codec endpoint the UI's browser code calls to decode payloads. */
  codecEndpoint?: string;
  /** More environment for the UI server's config template (e.g. TEMPORAL_AUTH_* for OIDC sign-in). */
  extraEnv?: Record<string, string>;
  /** A fixed port for the UI (its address must be known beforehand, e.g. for the sign-in callback); a free one by default. */
  port?: number;
}

export interface TopologyOptions {
  /** Frontend mTLS (default true): clients need a certificate signed by the topology's CA. */
  mtls?: boolean;
  /** Start the Temporal UI server too (talking mTLS to the frontend when mtls is on). */
  ui?: TopologyUiOptions;
  namespace?: string;
  /** Extra names (DNS or IP) in the server certificate besides localhost and 127.0.0.1. */
  serverNames?: string[];
  /**
   * Run the server from the release's own container config template (`config/docker.yaml`, the one the
   * temporalio/server image renders from its environment) with this environment, e.g. the compose file's
   * `temporal` service: files under `/certs/` are the topology's certificates; database address, bind
   * address and ports are the topology's. Default: the config file of TOPOLOGY.md, written here.
   */
  imageEnv?: Record<string, string>;
  /** Work folder (default: a new temporary one, removed by stop()). */
  workDir?: string;
  /** Keep the work folder (logs, data) after stop(). */
  keepWorkDir?: boolean;
  log?: Log;
}

export interface TopologyTls {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Name the frontend's certificate is verified against. */
  serverName: string;
}

export interface Topology {
  /** Frontend gRPC `host:port`. */
  address: string;
  namespace: string;
  /** Client TLS settings (undefined with mtls: false). */
  tls: TopologyTls | undefined;
  /** Holds ca.pem, server.pem/key, client.pem/key (made by scripts/topology/make-certs.sh). */
  certDir: string;
  uiUrl?: string;
  /** Prometheus metrics of the Temporal server: `http://host:port/metrics`. */
  metricsUrl: string;
  postgres: { host: string; port: number; user: string; password: string };
  workDir: string;
  /** Tails of every log (server, UI, PostgreSQL, admin jobs), for failure messages. */
  logs(): string;
  /** Stops the Temporal server and starts it again on the same ports and database; resolves once it serves. */
  restartTemporal(): Promise<void>;
  /** Stops everything (UI, server, PostgreSQL); idempotent. */
  stop(): Promise<void>;
}

/** The @temporalio/client `tls` option for a topology's frontend. */
export async function clientTlsOptions(tls: TopologyTls): Promise<{
  serverRootCACertificate: Buffer;
  clientCertPair: { crt: Buffer; key: Buffer };
  serverNameOverride: string;
}> {
  return {
    serverRootCACertificate: await fs.readFile(tls.caFile),
    clientCertPair: { crt: await fs.readFile(tls.certFile), key: await fs.readFile(tls.keyFile) },
    serverNameOverride: tls.serverName,
  };
}

/** Runs one of scripts/topology with `env` added; resolves to its output, rejects with it. */
export function runTopologyScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('sh', [path.join(TOPOLOGY_SCRIPTS_DIR, script), ...args], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error) reject(new Error(`${script} failed (${error.message.split('\n')[0]}):\n${output}`));
        else resolve(output);
      });
  });
}

export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const log = options.log ?? ((message: string) => console.log(`[topology] ${message}`));
  const mtls = options.mtls ?? true;
  const namespace = options.namespace ?? 'default';
  const started = Date.now();

  // 1. Binaries: cached builds, or one-time builds from the Go module proxy.
  const missing = [TEMPORAL_SERVER_BUILD, TEMPORAL_SQL_TOOL_BUILD, ...(options.ui ? [TEMPORAL_UI_SERVER_BUILD] : [])]
    .filter((spec) => !fsExists(cachedGoBinaryPath(spec)))
    .map((spec) => spec.label);
  if (!(await findOnPath('temporal')) && !fsExists(cachedTemporalCliPath())) missing.push(TEMPORAL_CLI_BUILD.label);
  if (missing.length > 0) {
    log(
      `First run on this machine: building ${missing.join(', ')} from source. This takes minutes (about 2-4 with Go's ` +
        'module cache warm, 10-15 on a fresh machine), once; later runs reuse the cached builds and start in seconds.',
    );
  }
  const serverBin = await findOrBuildTemporalServer(log);
  const sqlTool = await findOrBuildTemporalSqlTool(log);
  const uiBin = options.ui ? await findOrBuildTemporalUiServer(log) : undefined;
  const cli = await findOrBuildTemporalCli(log);
  const schemaDir = await temporalPostgresSchemaDir();
  const uiTemplate = options.ui ? await temporalUiConfigTemplate() : undefined;
  if (missing.length > 0) log(`Binaries ready after ${formatDuration(Date.now() - started)}.`);

  const ownsWorkDir = !options.workDir;
  if (ownsWorkDir) await removeStaleWorkDirs();
  const workDir = options.workDir ? path.resolve(options.workDir) : await fs.mkdtemp(path.join(os.tmpdir(), `${WORK_DIR_PREFIX}${process.pid}-`));
  await fs.mkdir(workDir, { recursive: true });
  await fs.chmod(workDir, 0o755); // the postgres user must reach its folders inside
  const adminLog = path.join(workDir, 'admin-jobs.log');
  const serverLog = path.join(workDir, 'temporal-server.log');
  const uiLog = path.join(workDir, 'temporal-ui.log');
  const certDir = path.join(workDir, 'certs');

  let postgres: Postgres | undefined;
  let server: Service | undefined;
  let ui: Service | undefined;
  const logs = () =>
    [
      ['Temporal server', serverLog],
      ['Temporal UI server', uiLog],
      ['admin jobs', adminLog],
      ['PostgreSQL', postgres?.logFile],
    ]
      .filter((entry): entry is [string, string] => entry[1] !== undefined && fsExists(entry[1]))
      .map(([name, file]) => `--- ${name} (${file}) ---\n${readTail(file, 40)}`)
      .join('\n');
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await ui?.stop();
      await server?.stop();
      await postgres?.stop();
      if (ownsWorkDir && !options.keepWorkDir) await fs.rm(workDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const adminJob = async (script: string, args: string[], env: Record<string, string>) => {
    const jobStarted = Date.now();
    try {
      const output = await runTopologyScript(script, args, env);
      await fs.appendFile(adminLog, `$ ${script} ${args.join(' ')}\n${output}`);
      return Date.now() - jobStarted;
    } catch (error) {
      await fs.appendFile(adminLog, `$ ${script} ${args.join(' ')}\n${(error as Error).message}\n`);
      throw error;
    }
  };

  try {
    // 2. Certificates for frontend mTLS (the compose file mounts the same kind of files).
    await adminJob('make-certs.sh', [certDir, ...(options.serverNames ?? [])], {});
    const tlsFiles: TopologyTls = {
      caFile: path.join(certDir, 'ca.pem'),
      certFile: path.join(certDir, 'client.pem'),
      keyFile: path.join(certDir, 'client.key'),
      serverName: SERVER_NAME,
    };
    const tls = mtls ? tlsFiles : undefined;

    // 3. PostgreSQL: like the postgres image, the role's own database exists, the visibility one not yet.
    postgres = await startPostgres({ dir: path.join(workDir, 'postgres'), user: 'temporal', password: 'temporal', databases: ['temporal'], log });
    const pg = postgres;

    // 4. Schemas, by the compose job's script.
    const schemaMs = await adminJob('temporal-schema.sh', [], {
      TEMPORAL_SQL_TOOL: sqlTool,
      TEMPORAL_SCHEMA_DIR: schemaDir,
      SQL_HOST: pg.host,
      SQL_PORT: String(pg.port),
      SQL_USER: pg.user,
      SQL_PASSWORD: pg.password,
      // As compose: the case projection's database on the same server.
      CASES_PROJECTION_DB: TOPOLOGY_PROJECTION_DB,
    });
    log(`Schemas of temporal and temporal_visibility up to date, ${TOPOLOGY_PROJECTION_DB} created, in ${schemaMs} ms (temporal-schema.sh).`);

    // 5. Server config and start.
    const [grpcPort, httpPort, historyPort, matchingPort, workerPort, metricsPort] = await freePorts('127.0.0.1', 6);
    const membershipPorts = await freePortsAtMost('127.0.0.1', MAX_MEMBERSHIP_PORT, 4);
    const address = `127.0.0.1:${grpcPort}`;
    const configDir = path.join(workDir, 'config');
    await fs.mkdir(path.join(configDir, 'dynamicconfig'), { recursive: true });
    const dynamicConfigFile = path.join(configDir, 'dynamicconfig', 'topology.yaml');
    await fs.writeFile(
      dynamicConfigFile,
      'limit.maxIDLength:\n  - value: 255\n' +
        // New search attributes usable at once, as the dev server does it.
        'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n' +
        // A new namespace is usable after 1 s instead of the default 10 s (temporal-setup.sh waits for it).
        'system.namespaceCacheRefreshInterval:\n  - value: 1s\n',
    );
    await fs.writeFile(
      path.join(configDir, 'topology.yaml'),
      serverConfigYaml({
        pg,
        grpcPort,
        httpPort,
        historyPort,
        matchingPort,
        workerPort,
        metricsPort,
        membershipPorts,
        dynamicConfigFile,
        tls: mtls ? { certDir, serverName: SERVER_NAME } : undefined,
      }),
    );
    let serverArgs = ['--root', workDir, '--config', 'config', '--env', 'topology', '--allow-no-auth', 'start'];
    let serverEnv = baseEnv();
    if (options.imageEnv) {
      const imageConfigDir = path.join(workDir, 'config-image');
      await fs.mkdir(imageConfigDir, { recursive: true });
      await fs.copyFile(path.join(await temporalServerConfigDir(), 'docker.yaml'), path.join(imageConfigDir, 'docker.yaml'));
      await fs.chmod(path.join(imageConfigDir, 'docker.yaml'), 0o644);
      const [frontendM, historyM, matchingM, workerM] = membershipPorts;
      serverArgs = ['--root', workDir, '--config', 'config-image', '--env', 'docker', '--allow-no-auth', 'start'];
      serverEnv = {
        ...serverEnv,
        ...Object.fromEntries(Object.entries(options.imageEnv).map(([key, value]) => [key, value.replace(/^\/certs\//, `${certDir}/`)])),
        POSTGRES_SEEDS: pg.host,
        DB_PORT: String(pg.port),
        VISIBILITY_DB_PORT: String(pg.port), // the template's visibility store does not read DB_PORT
        POSTGRES_USER: pg.user,
        POSTGRES_PWD: pg.password,
        BIND_ON_IP: '127.0.0.1',
        TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
        FRONTEND_GRPC_PORT: String(grpcPort),
        FRONTEND_HTTP_PORT: String(httpPort),
        FRONTEND_MEMBERSHIP_PORT: String(frontendM),
        HISTORY_GRPC_PORT: String(historyPort),
        HISTORY_MEMBERSHIP_PORT: String(historyM),
        MATCHING_GRPC_PORT: String(matchingPort),
        MATCHING_MEMBERSHIP_PORT: String(matchingM),
        WORKER_GRPC_PORT: String(workerPort),
        WORKER_MEMBERSHIP_PORT: String(workerM),
        PROMETHEUS_ENDPOINT: `127.0.0.1:${metricsPort}`,
        DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
      };
    }
    const clientTls = tls ? await clientTlsOptions(tls) : undefined;
    const startServer = async (): Promise<Service> => {
      const service = startService('Temporal server', serverBin, serverArgs, { cwd: workDir, env: serverEnv, logFile: serverLog });
      const serverStarted = Date.now();
      try {
        await waitFor(`the Temporal frontend on ${address}`, service, 120_000, () => isServing(address, clientTls));
      } catch (error) {
        await service.stop();
        throw error;
      }
      log(`Temporal server ${TEMPORAL_SERVER_BUILD.version} serving on ${address}${mtls ? ' (mTLS)' : ''}${options.imageEnv ? ' from the image config template' : ''} after ${Date.now() - serverStarted} ms (pid ${service.pid}).`);
      return service;
    };
    server = await startServer();

    // 6. Namespace and search attributes, by the compose job's script.
    const setupEnv = {
      TEMPORAL_CLI: cli,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      ...(tls
        ? {
            TEMPORAL_TLS_CA_FILE: tls.caFile,
            TEMPORAL_TLS_CERT_FILE: tls.certFile,
            TEMPORAL_TLS_KEY_FILE: tls.keyFile,
            TEMPORAL_TLS_SERVER_NAME: tls.serverName,
          }
        : {}),
    };
    const setupMs = await adminJob('temporal-setup.sh', [], setupEnv);
    log(`Namespace ${namespace} (30-day retention) and case search attributes ready in ${setupMs} ms (temporal-setup.sh).`);

    // 7. UI server, with its own config template driven by env, as in the temporalio/ui image.
    let uiUrl: string | undefined;
    if (options.ui && uiBin && uiTemplate) {
      const uiPort = options.ui.port ?? (await freePorts('127.0.0.1', 1))[0];
      uiUrl = `http://127.0.0.1:${uiPort}`;
      const uiConfigDir = path.join(workDir, 'ui-config');
      await fs.mkdir(uiConfigDir, { recursive: true });
      const template = await fs.readFile(uiTemplate, 'utf8');
      // The template has no `host:` and would bind every interface.
      const withHost = template.replace(/^(port:.*)$/m, `$1\nhost: {{ env "TEMPORAL_UI_HOST" | default "127.0.0.1" }}`);
      await fs.writeFile(path.join(uiConfigDir, 'docker.yaml'), withHost, { mode: 0o644 });
      const uiEnv: Record<string, string> = {
        ...baseEnv(),
        TEMPORAL_ADDRESS: address,
        TEMPORAL_UI_HOST: '127.0.0.1',
        TEMPORAL_UI_PORT: String(uiPort),
        TEMPORAL_CORS_ORIGINS: uiUrl,
        TEMPORAL_NOTIFY_ON_NEW_VERSION: 'false',
        TEMPORAL_DEFAULT_NAMESPACE: namespace,
        TEMPORAL_DISABLE_WRITE_ACTIONS: 'true',
        ...(tls
          ? {
              TEMPORAL_TLS_CA: tls.caFile,
              TEMPORAL_TLS_CERT: tls.certFile,
              TEMPORAL_TLS_KEY: tls.keyFile,
              TEMPORAL_TLS_SERVER_NAME: tls.serverName,
              TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true',
            }
          : {}),
        ...(options.ui.codecEndpoint ? { TEMPORAL_CODEC_ENDPOINT: options.ui.codecEndpoint, TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'true' } : {}),
        ...options.ui.extraEnv,
      };
      const uiStarted = Date.now();
      ui = startService('Temporal UI server', uiBin, ['--root', workDir, '--config', 'ui-config', '--env', 'docker', 'start'], {
        cwd: workDir,
        env: uiEnv,
        logFile: uiLog,
      });
      const url = uiUrl;
      await waitFor(`the Temporal UI on ${url}`, ui, 60_000, async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok);
      log(`Temporal UI server ${TEMPORAL_UI_SERVER_BUILD.version} ready at ${url} after ${Date.now() - uiStarted} ms (pid ${ui.pid}).`);
    }

    log(`Topology up in ${formatDuration(Date.now() - started)}: frontend ${address}${uiUrl ? `, UI ${uiUrl}` : ''}; work folder ${workDir}`);
    return {
      address,
      namespace,
      tls,
      certDir,
      uiUrl,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      postgres: { host: pg.host, port: pg.port, user: pg.user, password: pg.password },
      workDir,
      logs,
      restartTemporal: async () => {
        log('Restarting the Temporal server…');
        await server?.stop();
        server = await startServer();
      },
      stop,
    };
  } catch (error) {
    const message = `${(error as Error).message}\n${logs()}`;
    await stop().catch(() => undefined);
    throw new Error(`Starting the topology failed: ${message}`, { cause: error });
  }
}

interface ServerConfigInput {
  pg: Postgres;
  grpcPort: number;
  httpPort: number;
  historyPort: number;
  matchingPort: number;
  workerPort: number;
  metricsPort: number;
  membershipPorts: number[];
  dynamicConfigFile: string;
  tls: { certDir: string; serverName: string } | undefined;
}

/**
 * The server's config, derived from the stock development-postgres12.yaml: archival off, no pprof. The TLS
 * part is what the temporalio/server image renders from the compose file's TEMPORAL_TLS_* variables:
 * frontend mTLS plus internode TLS with the server certificate, which the in-process system worker also
 * presents to the frontend as its client certificate.
 */
function serverConfigYaml(input: ServerConfigInput): string {
  const { pg, membershipPorts: [frontendM, historyM, matchingM, workerM] } = input;
  const datastore = (database: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "${pg.host}:${pg.port}"
        connectProtocol: tcp
        user: ${JSON.stringify(pg.user)}
        password: ${JSON.stringify(pg.password)}
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const tls = input.tls
    ? (() => {
        const file = (name: string) => JSON.stringify(path.join(input.tls!.certDir, name));
        return `
  tls:
    internode:
      server:
        certFile: ${file('server.pem')}
        keyFile: ${file('server.key')}
        requireClientAuth: true
        clientCaFiles: [${file('ca.pem')}]
      client:
        serverName: ${input.tls!.serverName}
        rootCaFiles: [${file('ca.pem')}]
    frontend:
      server:
        certFile: ${file('server.pem')}
        keyFile: ${file('server.key')}
        requireClientAuth: true
        clientCaFiles: [${file('ca.pem')}]
      client:
        serverName: ${input.tls!.serverName}
        rootCaFiles: [${file('ca.pem')}]`;
      })()
    : '';
  return `log:
  stdout: true
  level: info
persistence:
  defaultStore: pg-default
  visibilityStore: pg-visibility
  numHistoryShards: 4
  datastores:
    pg-default:${datastore('temporal', 20)}
    pg-visibility:${datastore('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:${input.metricsPort}"${tls}
services:
  frontend:
    rpc: { grpcPort: ${input.grpcPort}, membershipPort: ${frontendM}, bindOnLocalHost: true, httpPort: ${input.httpPort} }
  history:
    rpc: { grpcPort: ${input.historyPort}, membershipPort: ${historyM}, bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: ${input.matchingPort}, membershipPort: ${matchingM}, bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: ${input.workerPort}, membershipPort: ${workerM}, bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${input.grpcPort}"
dcRedirectionPolicy:
  policy: noop
archival:
  history: { state: disabled }
  visibility: { state: disabled }
namespaceDefaults:
  archival:
    history: { state: disabled }
    visibility: { state: disabled }
dynamicConfigClient:
  filepath: ${JSON.stringify(input.dynamicConfigFile)}
  pollInterval: 10s
`;
}

interface Service {
  name: string;
  pid: number;
  /** Resolves with how the process ended. */
  exited: Promise<string>;
  /** SIGTERM to its process group, SIGKILL after a grace period; resolves once it is gone. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a server in a session and process group of its own (setsid), output appended to `logFile`, with
 * a watchdog that kills the group if this process dies without stopping it.
 */
function startService(name: string, file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Service {
  const fd = openSync(options.logFile, 'a');
  writeSync(fd, `\n--- ${new Date().toISOString()} ${file} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid ?? 0;
  const exited = new Promise<string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  let gone = false;
  void exited.then(() => (gone = true));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.on('exit', killOnExit);
  const watchdog = pid ? startGroupWatchdog(pid) : undefined;
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid,
    exited,
    stop: () => {
      stopping ??= (async () => {
        if (!gone) {
          killGroup('SIGTERM');
          const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, 10_000, 'timeout').unref());
          if ((await Promise.race([exited, grace])) === 'timeout') {
            killGroup('SIGKILL');
            await exited;
          }
        }
        killGroup('SIGKILL'); // anything the leader left behind in its group
        watchdog?.kill('SIGKILL');
        process.off('exit', killOnExit);
      })();
      return stopping;
    },
  };
}

/**
 * A tiny `sh` that blocks reading a pipe from this process, so it wakes when this process dies in any way
 * (SIGKILL included) and then terminates the process group `pgid`.
 */
function startGroupWatchdog(pgid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const script =
    // `kill -s SIG -- -pgid`: the spelling dash and bash both read as a process group.
    'cat >/dev/null; kill -s TERM -- "-$1" 2>/dev/null; i=0; ' +
    'while kill -s 0 -- "-$1" 2>/dev/null && [ "$i" -lt 40 ]; do sleep 0.25; i=$((i+1)); done; kill -s KILL -- "-$1" 2>/dev/null';
  const watchdog = spawn('sh', ['-c', script, 'cs-cases-topology-watchdog', String(pgid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as net.Socket | null)?.unref();
  return watchdog;
}

async function isServing(address: string, tls: Awaited<ReturnType<typeof clientTlsOptions>> | undefined): Promise<boolean> {
  const connection = await Connection.connect({ address, tls, connectTimeout: 2_000 });
  try {
    const response = await connection.withDeadline(Date.now() + 3_000, () =>
      connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' }),
    );
    return response.status === 1; // SERVING
  } finally {
    await connection.close();
  }
}

/** Polls `ready` until it resolves true; fails early when the service exits, or after `timeoutMs`. */
async function waitFor(what: string, service: Service, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  let exitReason: string | undefined;
  void service.exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) throw new Error(`The ${service.name} exited during start-up (${exitReason}).`);
    try {
      if (await ready()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what} (last error: ${lastError instanceof Error ? lastError.message : String(lastError)}).`);
}

/** Free TCP ports no larger than `max` (above 10000), all distinct, each held until every one is known. */
async function freePortsAtMost(ip: string, max: number, count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let tries = 0; servers.length < count; tries++) {
      if (tries > 500) throw new Error(`No ${count} free ports at most ${max} on ${ip}.`);
      const port = 10_000 + Math.floor(Math.random() * (max - 10_000 + 1));
      const server = net.createServer();
      const bound = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen({ host: ip, port, exclusive: true }, () => resolve(true));
      });
      if (bound) servers.push(server);
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** Work folders that topologies of crashed test processes left behind (their servers are gone: watchdogs). */
async function removeStaleWorkDirs(): Promise<void> {
  const entries = await fs.readdir(os.tmpdir()).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(new RegExp(`^${WORK_DIR_PREFIX}(\\d+)-`).exec(entry)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) await fs.rm(path.join(os.tmpdir(), entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** A small environment for the servers: nothing of the test's own Temporal or TLS settings leaks in. */
function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]]));
}

function fsExists(file: string): boolean {
  return existsSync(file);
}
