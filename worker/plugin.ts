/**
 * The product: a Temporal plugin that registers the case workflows, their activities (over the adapters
 * you pass) and the payload codec that encrypts customer data in history. Embed it as a second Worker on
 * its own task queue, sharing your connection; SimplePlugin sets the workflows and merges the data
 * converter field by field. It cannot be created without the keyring the API encrypts with.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SimplePlugin, type SimplePluginOptions } from '@temporalio/plugin';
import { Runtime, type ReplayWorkerOptions, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { encryptedDataConverter, keyringFromFile, refuseDevelopmentKeyringIn, type Keyring } from './encryption';
import { CASES_WORKFLOW_INTERCEPTOR_MODULES } from './workflow-interceptors';
import type { CasesTracing } from './tracing/pipeline';
import { withCaseTracing } from './tracing/worker-tracing';

export const CASES_PLUGIN_NAME = 'cs-cases';
/** Default task queue of the case workflows. */
export const CASES_TASK_QUEUE = 'cs-cases';

export interface CasesPluginOptions extends ActivityDeps {
  /**
   * The keyring the API encrypts case data with, or the path of its keys file (CASES_ENCRYPTION_KEYS_FILE
   * format). Required: without it no case could be read. The development keyring is refused in production.
   */
  encryptionKeys: Keyring | string;
  /**
   * Where case spans go (HTTP request → start or Update → workflow → activities); absent: no tracing and
   * nothing installed. `otlpTracingFrom(process.env, name)` makes one over OTLP, or hand in your own span
   * processor and resource. The plugin never registers a global tracer provider.
   */
  tracing?: CasesTracing;
}

/** SimplePlugin plus what case tracing adds to the Worker's options (sinks, activity interceptors): SimplePlugin has no field for them. */
class CasesPlugin extends SimplePlugin {
  constructor(options: SimplePluginOptions, private readonly tracing: CasesTracing | undefined) {
    super(options);
  }

  override configureWorker(options: WorkerOptions): WorkerOptions {
    return withCaseTracing(super.configureWorker(options), this.tracing);
  }

  override configureReplayWorker(options: ReplayWorkerOptions): ReplayWorkerOptions {
    return withCaseTracing(super.configureReplayWorker(options), this.tracing);
  }
}

/** The prebuilt workflow bundle of a build (`npm run build`), or undefined when running from sources. */
export function casesWorkflowBundlePath(): string | undefined {
  const candidate = path.join(__dirname, '..', 'workflow-bundle.js');
  return existsSync(candidate) ? candidate : undefined;
}

/** The workflows entry beside this file: TypeScript sources, or compiled JavaScript in a build. */
export function casesWorkflowsPath(): string {
  for (const file of ['index.ts', 'index.js']) {
    const candidate = path.join(__dirname, '..', 'workflows', file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cs-cases workflows not found beside ${__dirname}`);
}

function keyringOf(option: CasesPluginOptions['encryptionKeys'] | undefined): Keyring {
  if (typeof option === 'string') return keyringFromFile(option);
  if (option && typeof option === 'object' && typeof option.currentId === 'string' && option.keys instanceof Map) return option;
  throw new Error('createCasesPlugin needs encryptionKeys: the keyring the API uses (or the path of its keys file), else no case can be read');
}

export function createCasesPlugin(options: CasesPluginOptions): SimplePlugin {
  const keyring = keyringOf(options.encryptionKeys);
  refuseDevelopmentKeyringIn(process.env, keyring);
  let unknownKeyCounter: { add(value: number, tags?: Record<string, string>): void } | undefined;
  const dataConverter = encryptedDataConverter(keyring, {
    // Runs in the worker, whose Runtime already exists: a log line and a counter; the task then fails and retries.
    onUnknownKey(keyId) {
      const runtime = Runtime.instance();
      runtime.logger.error('Case payload encrypted under a key this worker lacks: add it to CASES_ENCRYPTION_KEYS; the case resumes then', { keyId: keyId ?? '(none named)', error: 'UnknownEncryptionKeyError' });
      unknownKeyCounter ??= runtime.metricMeter.createCounter('cs_cases_unknown_encryption_key', 'payloads', 'Case payloads met under an encryption key the worker lacks');
      unknownKeyCounter.add(1);
    },
  });
  const bundlePath = casesWorkflowBundlePath();
  return new CasesPlugin({
    name: CASES_PLUGIN_NAME,
    ...(bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : {
          workflowsPath: casesWorkflowsPath(),
          ...(CASES_WORKFLOW_INTERCEPTOR_MODULES.length > 0 ? { workerInterceptors: { workflowModules: [...CASES_WORKFLOW_INTERCEPTOR_MODULES] } } : {}),
        }),
    activities: createActivities({
      payments: options.payments, events: options.events, notifications: options.notifications, logistics: options.logistics, orders: options.orders,
      // Attempts per webhook event before it is parked, backoff, idle end (over WEBHOOK_* of the publisher).
      ...(options.webhookDelivery ? { webhookDelivery: options.webhookDelivery } : {}),
      ...(options.calendarYears ? { calendarYears: options.calendarYears } : {}),
      // Case metrics on the activities' SDK meter; the merchant label only when asked for.
      ...(options.caseMetrics ? { caseMetrics: options.caseMetrics } : {}),
      // The read projection the API serves cases, lists and reports from (openCaseProjection).
      ...(options.projection ? { projection: options.projection } : {}),
    }),
    dataConverter,
  }, options.tracing);
}
