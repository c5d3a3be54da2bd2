/**
 * Starts a local Temporal dev server (`temporal server start-dev`, SQLite file, optional Web UI) and makes
 * any Temporal server fit for cs-cases: search attributes registered (idempotently, verified) and closed
 * histories kept for the retention the product promises. The embedded default, the worker and the tests
 * share these functions; against an existing server (TEMPORAL_ADDRESS) only the `ensure*` ones apply.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, promises as fs, openSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { CASE_SEARCH_ATTRIBUTES, DEFAULT_RETENTION_DAYS, cliSearchAttributePairs, ensureRetention, ensureSearchAttributes } from '../../worker/namespace-setup';
import type { Log } from './temporal-cli';

// The namespace functions moved to the worker (it runs them on start); re-exported for scripts and tests.
export { DEFAULT_RETENTION_DAYS, ensureRetention, ensureSearchAttributes, listCustomSearchAttributes, retentionMs } from '../../worker/namespace-setup';

export interface StartDevServerOptions {
  /** Path of the `temporal` CLI (see findOrBuildTemporalCli). */
  cliPath: string;
  /** Holds `temporal.sqlite` (state survives restarts) and `temporal.log` (the server's output). */
  dataDir: string;
  ip?: string;
  /** Front-end gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; a free one when omitted. */
  uiPort?: number;
  /** Web UI on (default) or headless. */
  ui?: boolean;
  /** Remote codec endpoint the Web UI uses to decode payloads (the API serves one). */
  uiCodecEndpoint?: string;
  namespace?: string;
  retentionDays?: number;
  log?: Log;
  /** How long to wait for the server to answer, first start of a cold binary included. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

export interface DevServer {
  /** `host:port` of the front-end gRPC service, for `Connection.connect({ address })`. */
  address: string;
  /** Web UI address, or undefined when headless. */
  uiUrl: string | undefined;
  namespace: string;
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. Idempotent. */
  stop(): Promise<void>;
}

export async function startDevServer(options: StartDevServerOptions): Promise<DevServer> {
  const attempts = options.port === undefined || (options.ui !== false && options.uiPort === undefined) ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      // A port we picked can be taken by someone else before the server binds it: pick again.
      if (attempt >= attempts || !(error instanceof PortInUseError)) throw error;
      (options.log ?? console.log)(`Port taken while the Temporal dev server started (${error.message}); retrying on other ports.`);
    }
  }
}

class PortInUseError extends Error {}

async function startOnce(options: StartDevServerOptions): Promise<DevServer> {
  const log = options.log ?? console.log;
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const ui = options.ui ?? true;
  const dataDir = path.resolve(options.dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'temporal.log');

  const needed = (options.port === undefined ? 1 : 0) + (ui && options.uiPort === undefined ? 1 : 0);
  const picked = await freePorts(ip, needed);
  const port = options.port ?? picked.shift()!;
  const uiPort = ui ? (options.uiPort ?? picked.shift()!) : undefined;

  const args = [
    'server', 'start-dev',
    '--db-filename', path.join(dataDir, 'temporal.sqlite'),
    '--ip', ip,
    '--port', String(port),
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]),
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    '--namespace', namespace,
    ...cliSearchAttributePairs().flatMap((pair) => ['--search-attribute', pair]),
    // The server caches search attributes; without this a just-registered one can be unknown for a while.
    '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true',
    '--log-level', 'warn',
  ];
  const connectHost = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '::1' : ip;
  const address = `${formatHost(connectHost)}:${port}`;
  const uiUrl = uiPort === undefined ? undefined : `http://${formatHost(connectHost)}:${uiPort}`;

  log(`Starting the Temporal dev server on ${address}${uiUrl ? `, UI ${uiUrl}` : ' (headless)'}; data in ${dataDir}`);
  const logStart = (await fs.stat(logFile).catch(() => undefined))?.size ?? 0;
  const logFd = openSync(logFile, 'a');
  writeSync(logFd, `\n--- ${new Date().toISOString()} ${options.cliPath} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(options.cliPath, args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      watchdog?.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, options.stopGraceMs ?? 5_000, 'timeout').unref());
        if ((await Promise.race([exited, grace])) === 'timeout') {
          log(`The Temporal dev server (pid ${child.pid}) ignored SIGTERM; killing it.`);
          child.kill('SIGKILL');
          await exited;
        }
      }
      process.off('exit', killOnExit);
    })();
    return stopping;
  };

  try {
    const connection = await waitUntilServing(address, namespace, exited, options.startTimeoutMs ?? 120_000, logFile, logStart);
    try {
      await ensureSearchAttributes(connection, namespace, CASE_SEARCH_ATTRIBUTES, log);
      await ensureRetention(connection, namespace, retentionDays, log);
    } finally {
      await connection.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Temporal dev server ready (pid ${child.pid}): ${address}, namespace ${namespace}${uiUrl ? `, UI ${uiUrl}` : ''}`);
  return { address, uiUrl, namespace, pid: child.pid!, logFile, stop };
}

async function waitUntilServing(
  address: string,
  namespace: string,
  exited: Promise<string>,
  timeoutMs: number,
  logFile: string,
  logStart: number,
): Promise<Connection> {
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) {
      const tail = await logTail(logFile, logStart);
      const message = `The Temporal dev server exited during start-up (${exitReason}). End of ${logFile}:\n${tail}`;
      throw /address already in use/i.test(tail) ? new PortInUseError(message) : new Error(message);
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      const ready = connection;
      await ready.withDeadline(Date.now() + 5_000, () => ready.workflowService.describeNamespace({ namespace }));
      return ready;
    } catch (error) {
      lastError = error;
      await connection?.close().catch(() => undefined);
      await delay(250);
    }
  }
  throw new Error(
    `The Temporal dev server did not answer on ${address} within ${timeoutMs / 1000}s ` +
      `(last error: ${lastError instanceof Error ? lastError.message : String(lastError)}). See ${logFile}`,
  );
}

/**
 * A tiny `sh` that outlives nothing: it blocks reading a pipe from this process, so it wakes when this
 * process dies in any way (SIGKILL included) and then terminates the server.
 */
function startWatchdog(pid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const script =
    'cat >/dev/null; kill -TERM "$1" 2>/dev/null; i=0; ' +
    'while kill -0 "$1" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 0.5; i=$((i+1)); done; kill -KILL "$1" 2>/dev/null';
  const watchdog = spawn('sh', ['-c', script, 'cs-cases-temporal-watchdog', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as net.Socket | null)?.unref();
  return watchdog;
}

/** Free TCP ports on `ip`, all distinct (each socket stays bound until every port is known). */
export async function freePorts(ip: string, count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: ip, port: 0, exclusive: true }, resolve);
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The last lines this start wrote (the file keeps earlier starts' output too). */
async function logTail(file: string, from: number): Promise<string> {
  try {
    return (await fs.readFile(file)).subarray(from).toString('utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
