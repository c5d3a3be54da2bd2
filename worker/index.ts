/**
 * The package's public surface for a worker (`import … from 'cs-cases'`): the plugin and its options,
 * the task queue, the adapters and their ports, the encryption converter, and the namespace set-up the
 * case workflows need. Anything not exported here is internal and may change in any release.
 */
export { createCasesPlugin, CASES_TASK_QUEUE, CASES_PLUGIN_NAME, type CasesPluginOptions } from './plugin';
export { createCasesWorker, DEFAULT_MAX_CACHED_CASES, type CasesWorkerOptions } from './start-worker';
export { adaptersFrom } from './config';
export { temporalConnectionFrom, type TemporalConnectionConfig } from './temporal-connection';
export { createSandboxAdapters, type SandboxAdapters } from './sandbox';
export {
  encryptedDataConverter, dataConverterFrom, loadKeyring, keyringFromFile, keyringFromJson, developmentKeyring,
  AesGcmCodec, UnknownEncryptionKeyError, type Keyring,
} from './encryption';
export {
  ensureSearchAttributes, ensureRetention, CASE_SEARCH_ATTRIBUTES, DEFAULT_RETENTION_DAYS, type SearchAttributeDefinition,
} from './namespace-setup';
export type { ActivityDeps } from '../activities';
// Case metrics (createCasesPlugin's `caseMetrics`): their names, and the histogram buckets for your Runtime.
export { CASE_METRICS, CASE_METRIC_BUCKETS, type CaseMetricsOptions } from '../activities/case-metrics';
// Ports (what an adapter must implement) and the production HTTP adapters.
export type { PaymentGateway, RefundOrder, RefundReceipt } from '../activities/adapters/payments';
export { RefundRefusedError, GatewayUnavailableError } from '../activities/adapters/payments';
export type { Notifier, Notification } from '../activities/adapters/notifications';
export type { LogisticsService, TrackingAnswer, CarrierInquiryRequest } from '../activities/adapters/logistics';
export type { OrderService, OrderStatusAnswer, AddressChangeRequest } from '../activities/adapters/orders';
export type { EventPublisher, CaseEvent } from '../activities/adapters/events';
export { HttpPaymentGateway, type HttpPaymentGatewayOptions } from '../activities/adapters/http-payments';
export { HttpNotifier } from '../activities/adapters/http-notifications';
export { HttpLogistics, HttpOrders } from '../activities/adapters/http-order-systems';
export { WebhookPublisher, webhookSubscriptionsFrom, type WebhookSubscription } from '../activities/adapters/webhooks';
export { openCaseProjection, CaseProjection, recordRetentionFrom, type CaseProjectionConfig } from '../activities/projection';
// Tracing (createCasesPlugin's `tracing`): OTLP from the standard OTEL_* variables, or your own processor.
export { otlpTracingFrom, type CasesTracing, type OtlpTracing } from './tracing/pipeline';
