/**
 * The product: a Temporal plugin that registers the case workflows, their activities (over the adapters
 * you pass) and, once configured, the payload codec. Embed it as a second Worker on its own task queue,
 * sharing your connection; SimplePlugin sets `workflowsPath` and merges the data converter field by field.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SimplePlugin } from '@temporalio/plugin';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities';

export const CASES_PLUGIN_NAME = 'cs-cases';
/** Default task queue of the case workflows. */
export const CASES_TASK_QUEUE = 'cs-cases';

export interface CasesPluginOptions extends ActivityDeps {
  /** Payload codec and friends (customer data encrypted in history); merged into the worker's converter. */
  dataConverter?: DataConverter;
}

/** The workflows entry beside this file: TypeScript sources, or compiled JavaScript in a build. */
export function casesWorkflowsPath(): string {
  for (const file of ['index.ts', 'index.js']) {
    const candidate = path.join(__dirname, '..', 'workflows', file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cs-cases workflows not found beside ${__dirname}`);
}

export function createCasesPlugin(options: CasesPluginOptions): SimplePlugin {
  return new SimplePlugin({
    name: CASES_PLUGIN_NAME,
    workflowsPath: casesWorkflowsPath(),
    activities: createActivities({
      payments: options.payments, events: options.events, notifications: options.notifications, logistics: options.logistics, orders: options.orders,
    }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
}
