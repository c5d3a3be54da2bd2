/**
 * The embedded default in one process tree: a local Temporal dev server (SQLite under data/, Web UI on),
 * the cases worker with sandbox adapters, and the API. Uses TEMPORAL_ADDRESS instead when it is set.
 * Prints where everything is and the development keys; Ctrl-C stops it all. The API's sandbox controls
 * (/v1/sandbox/*) reach the worker's sandbox adapters here, in the same process. Logs are readable lines
 * in a terminal (pino-pretty, a development dependency loaded only then) and JSON otherwise or in production;
 * one line per case event at info, request lines at debug (LOG_LEVEL=debug shows them). After the banner:
 * the supervisors' views as Temporal UI links.
 */
import path from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { Connection } from '@temporalio/client';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry } from '@temporalio/worker';
import { buildApp, REDACTED_LOG_PATHS } from '../api/app';
import { supervisorViews } from '../api/client/supervisor-views';
import { DEV_KEYS, loadApiKeys } from '../api/auth';
import { createCasesWorker } from '../worker/start-worker';
import { adaptersFrom, workerConfigFrom } from '../worker/config';
import { sandboxAdaptersIn } from '../worker/sandbox';
import { SandboxEventPublisher, type CaseEvent } from '../activities/adapters/events';
import { encryptedDataConverter, loadKeyring } from '../worker/encryption';
import { projectionFromEnv } from '../activities/projection';
import { casesClientInterceptors } from '../api/tracing';
import { otlpTracingFrom } from '../worker/tracing/pipeline';
import { ensureRetention, ensureSearchAttributes, startDevServer, type DevServer } from './lib/dev-server';
import { findOrBuildTemporalCli } from './lib/temporal-cli';

const log = (message: string) => console.log(`[cs-cases] ${message}`);

/** pino-pretty writing to `stream`, or undefined where it is not installed (dependencies without dev ones): JSON then. */
function prettyStream(stream: NodeJS.WritableStream): DestinationStream | undefined {
  let factory: typeof import('pino-pretty');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    factory = require('pino-pretty') as typeof import('pino-pretty');
  } catch {
    return undefined;
  }
  return factory({ destination: stream, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true, sync: true });
}

/** Fastify's per-request lines: at debug here, so a terminal shows what matters. */
const REQUEST_LINES = new Set(['incoming request', 'request completed']);

/**
 * The embedded default's logger: the API's redaction, request lines moved to debug, and readable lines
 * when the output is a terminal outside production (pino-pretty is required only then, so a production
 * image without development dependencies never loads it); JSON lines otherwise.
 */
export function consoleLogger(options: { stream?: NodeJS.WritableStream & { isTTY?: boolean }; env?: NodeJS.ProcessEnv } = {}): Logger {
  const stream = options.stream ?? process.stdout;
  const env = options.env ?? process.env;
  const pretty = Boolean(stream.isTTY) && env.NODE_ENV !== 'production' ? prettyStream(stream) : undefined;
  const destination: DestinationStream = pretty ?? (stream as DestinationStream);
  return pino({
    level: env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(args, method, level) {
        const message = args.find((a): a is string => typeof a === 'string');
        if (level === pino.levels.values.info && message && REQUEST_LINES.has(message)) {
          if (this.isLevelEnabled('debug')) (this.debug as (...line: unknown[]) => void)(...args);
          return;
        }
        method.apply(this, args as Parameters<typeof method>);
      },
    },
  }, destination);
}

/** The worker's log entries as lines of `logger`, an error under `err` so it keeps its message and stack. */
export function workerLogLine(logger: Logger): (entry: LogEntry) => void {
  const methods = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
  return ({ level, message, meta }) => {
    const { error, ...rest } = (meta ?? {}) as Record<string, unknown>;
    logger[methods[level]]({ worker: true, ...rest, ...(error !== undefined ? { err: error } : {}) }, message);
  };
}

/** The supervisors' Temporal UI views, one link each, printed after the banner. */
export function supervisorViewsText(uiUrl: string, namespace: string, now = Date.now()): string {
  const views = supervisorViews({ uiUrl, namespace, now });
  const width = Math.max(...views.map((v) => v.title.length));
  return `Supervisor views in the Temporal UI (cases only; bookmark them):\n${views.map((v) => `  ${v.title.padEnd(width)}  ${v.url}`).join('\n')}\n`;
}

/** A case event as one info line: what happened to which case, without the event's data. */
export function caseEventLine(logger: Logger): (event: CaseEvent) => void {
  return (event) => logger.info({ caseId: event.caseId, kind: event.kind, merchantId: event.merchantId, eventId: event.id, at: event.at }, `case event ${event.type}`);
}

async function main(): Promise<void> {
  const logger = consoleLogger();
  // Worker chatter (bundling, state changes) stays out of the way; warnings and errors still show, one line
  // each through the same logger as the API's (readable in a terminal, JSON otherwise).
  Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN', workerLogLine(logger)) });
  const config = workerConfigFrom(process.env);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  let devServer: DevServer | undefined;
  let uiUrl = process.env.TEMPORAL_UI_URL;

  if (process.env.TEMPORAL_ADDRESS) {
    log(`using the Temporal server at ${config.temporal.address}`);
    const admin = await Connection.connect({ address: config.temporal.address, tls: config.temporal.tls });
    await ensureSearchAttributes(admin, config.temporal.namespace, undefined, log);
    await ensureRetention(admin, config.temporal.namespace, undefined, log);
    await admin.close();
  } else {
    const cliPath = await findOrBuildTemporalCli(log);
    log('starting the Temporal dev server (state in data/temporal)…');
    devServer = await startDevServer({
      cliPath,
      dataDir: path.resolve(__dirname, '..', 'data', 'temporal'),
      port: 7233,
      uiPort: 8233,
      namespace: config.temporal.namespace,
      uiCodecEndpoint: `http://${host}:${port}/codec`,
      log,
    });
    config.temporal.address = devServer.address;
    uiUrl = devServer.uiUrl;
  }

  // Worker and API share one keyring: what the API encrypts, the worker reads.
  const encryptionKeys = loadKeyring(process.env);
  const { address, namespace, tls } = config.temporal;
  const nativeConnection = await NativeConnection.connect({ address, tls });
  // The case projection: PostgreSQL at PROJECTION_DATABASE_URL, else PGlite in this process (data/projection,
  // or PROJECTION_DATA_DIR). Its first start initialises the database: some seconds.
  const projectionDir = process.env.PROJECTION_DATA_DIR ?? path.resolve(__dirname, '..', 'data', 'projection');
  const projection = await projectionFromEnv(process.env, encryptedDataConverter(encryptionKeys).payloadCodecs ?? [], { dataDir: projectionDir });
  const adapters = { ...adaptersFrom(process.env), ...(projection ? { projection } : {}) };
  projection?.purgeEvery(undefined, (err) => logger.error({ err }, 'projection purge failed'));
  // One line per case event at info (ids, type, kind, merchant: never the event's data, which may be personal).
  if (adapters.events instanceof SandboxEventPublisher) adapters.events.subscribe(caseEventLine(logger));
  // OTEL_EXPORTER_OTLP_ENDPOINT: one trace from each request through its workflow and activities; off otherwise.
  const tracing = otlpTracingFrom(process.env, 'cs-cases');
  const worker = await createCasesWorker({ connection: nativeConnection, namespace, taskQueue: config.taskQueue, adapters, encryptionKeys, ...(tracing ? { tracing } : {}) });
  const workerRun = worker.run();

  const connection = await Connection.connect({ address, tls });
  const client = new Client({ connection, namespace, dataConverter: encryptedDataConverter(encryptionKeys), ...(tracing ? { interceptors: casesClientInterceptors(tracing) } : {}) });
  // The sandbox controls serve only the adapters that are sandbox ones (none in production).
  const app = await buildApp({ client, taskQueue: config.taskQueue, namespace, keys: loadApiKeys(process.env), logger, sandbox: sandboxAdaptersIn(adapters),
    ...(projection ? { projection } : {}),
    ...(tracing ? { tracing } : {}),
  });
  await app.listen({ host, port });

  const base = `http://${host}:${port}`;
  console.log(`
cs-cases is up (embedded default, sandbox adapters)
  API               ${base}
  API docs          ${base}/docs   (OpenAPI: ${base}/docs/json)
  Readiness         ${base}/readyz
  Case projection   ${projection?.engine === 'postgres' ? 'PostgreSQL (PROJECTION_DATABASE_URL)' : `PGlite in this process, ${path.relative(process.cwd(), projectionDir) || projectionDir}`}
  Temporal UI       ${uiUrl ?? '(not managed here)'}
  Temporal server   ${address}  namespace ${namespace}, task queue ${config.taskQueue}
  Traces            ${tracing ? `OTLP ${tracing.config.protocol} to ${tracing.config.url.split('?')[0]} as ${tracing.config.serviceName}` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)'}
  Development keys  ${process.env.NODE_ENV === 'production' ? '(refused: NODE_ENV=production)' : DEV_KEYS.map((k) => `${k.id} (${k.role}${k.merchants === '*' ? '' : `: ${k.merchants.join(',')}`})`).join(', ')}
  Use:              curl -H 'Authorization: Bearer dev-agent' ${base}/v1/policies
Press Ctrl-C to stop.
`);
  if (uiUrl) console.log(supervisorViewsText(uiUrl, namespace));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping API, worker and Temporal dev server…`);
    await app.close().catch(() => undefined);
    // The worker also listens for SIGINT/SIGTERM itself; shut it down only if it is still running.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun.catch(() => undefined);
    await tracing?.shutdown().catch(() => undefined);
    await nativeConnection.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await projection?.close().catch(() => undefined);
    await devServer?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err) => {
    console.error('[cs-cases] failed to start:', err);
    process.exit(1);
  });
}
