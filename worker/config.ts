/**
 * Worker configuration from the environment: where Temporal is, which task queue, which adapters.
 * The sandbox adapters are the embedded default; production (NODE_ENV=production) must name real ones.
 */
import type { ActivityDeps } from '../activities';
import { WebhookPublisher, webhookDeliveryFrom, webhookSubscriptionsFrom } from '../activities/adapters/webhooks';
import { HttpPaymentGateway } from '../activities/adapters/http-payments';
import { HttpNotifier } from '../activities/adapters/http-notifications';
import { HttpLogistics, HttpOrders } from '../activities/adapters/http-order-systems';
import { CASES_TASK_QUEUE } from './plugin';
import { createSandboxAdapters } from './sandbox';
import { temporalConnectionFrom, type TemporalConnectionConfig } from './temporal-connection';

export interface WorkerConfig {
  temporal: TemporalConnectionConfig;
  taskQueue: string;
}

export function workerConfigFrom(env: NodeJS.ProcessEnv): WorkerConfig {
  return { temporal: temporalConnectionFrom(env), taskQueue: env.TASK_QUEUE ?? CASES_TASK_QUEUE };
}

/**
 * PAYMENT_GATEWAY_URL + PAYMENT_GATEWAY_SECRET select the HTTP payment gateway. Without them the sandbox
 * ledger is used, which production refuses: money must never move through a sandbox unnoticed.
 */
export function adaptersFrom(env: NodeJS.ProcessEnv): ActivityDeps {
  const sandbox = createSandboxAdapters();
  const production = env.NODE_ENV === 'production';
  // WEBHOOKS / WEBHOOKS_FILE: signed outbound events per merchant, delivered per subscription (WEBHOOK_MAX_ATTEMPTS
  // and WEBHOOK_RETRY_* before parking); the in-memory log otherwise.
  const subscriptions = webhookSubscriptionsFrom(env);
  const events = subscriptions.length > 0 || production ? new WebhookPublisher(subscriptions, { delivery: webhookDeliveryFrom(env) }) : sandbox.events;
  // NOTIFICATIONS_URL + NOTIFICATIONS_SECRET: staff and customer messages (warnings, surveys) over HTTP.
  if (env.NOTIFICATIONS_URL && !env.NOTIFICATIONS_SECRET) throw new Error('NOTIFICATIONS_SECRET is required with NOTIFICATIONS_URL');
  if (production && !env.PAYMENT_GATEWAY_URL) throw new Error('NODE_ENV=production needs PAYMENT_GATEWAY_URL and PAYMENT_GATEWAY_SECRET; the sandbox gateway is for development only');
  if (production && !env.NOTIFICATIONS_URL) throw new Error('NODE_ENV=production needs NOTIFICATIONS_URL and NOTIFICATIONS_SECRET: surveys and warnings must reach people');
  const notifications = env.NOTIFICATIONS_URL ? new HttpNotifier({ url: env.NOTIFICATIONS_URL, secret: env.NOTIFICATIONS_SECRET! }) : sandbox.notifications;
  // LOGISTICS_URL / ORDERS_URL (+ _SECRET): tracking, carrier inquiries, order status and address changes.
  for (const name of ['LOGISTICS', 'ORDERS']) {
    if (env[`${name}_URL`] && !env[`${name}_SECRET`]) throw new Error(`${name}_SECRET is required with ${name}_URL`);
    if (production && !env[`${name}_URL`]) throw new Error(`NODE_ENV=production needs ${name}_URL and ${name}_SECRET: order issues must reach the real ${name.toLowerCase()} system`);
  }
  const orderSystems = {
    logistics: env.LOGISTICS_URL ? new HttpLogistics({ url: env.LOGISTICS_URL, secret: env.LOGISTICS_SECRET! }) : sandbox.logistics,
    orders: env.ORDERS_URL ? new HttpOrders({ url: env.ORDERS_URL, secret: env.ORDERS_SECRET! }) : sandbox.orders,
  };
  if (env.PAYMENT_GATEWAY_URL) {
    if (!env.PAYMENT_GATEWAY_SECRET) throw new Error('PAYMENT_GATEWAY_SECRET is required with PAYMENT_GATEWAY_URL');
    return {
      ...sandbox,
      payments: new HttpPaymentGateway({ baseUrl: env.PAYMENT_GATEWAY_URL, secret: env.PAYMENT_GATEWAY_SECRET, timeoutMs: Number(env.PAYMENT_GATEWAY_TIMEOUT_MS ?? 10_000) }),
      events,
      notifications,
      ...orderSystems,
      ...caseMetricsFrom(env),
    };
  }
  return { ...sandbox, events, notifications, ...orderSystems, ...caseMetricsFrom(env) };
}

/** CASES_METRICS_MERCHANT_LABEL=true: the case metrics carry the merchant id as a label (off: one series for all). */
export function caseMetricsFrom(env: NodeJS.ProcessEnv): Pick<ActivityDeps, 'caseMetrics'> {
  const value = env.CASES_METRICS_MERCHANT_LABEL?.trim().toLowerCase();
  if (!value || value === 'false' || value === '0') return {};
  if (value !== 'true' && value !== '1') throw new Error(`CASES_METRICS_MERCHANT_LABEL must be true or false, got ${env.CASES_METRICS_MERCHANT_LABEL}`);
  return { caseMetrics: { merchantLabel: true } };
}
