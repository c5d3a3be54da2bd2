/**
 * The package's public surface for the HTTP API (`import … from 'cs-cases/api'`): `buildApp` over a
 * Temporal client that uses the same encryption keyring as the workers, and the API-key loader.
 */
export { buildApp, type BuildAppDeps } from './app';
export { loadApiKeys, createApiKeyStore, sha256Hex, type ApiKey, type ApiKeyStore } from './auth';
export { apiConfigFrom, type ApiConfig } from './main';
// Metrics for buildApp's `metrics`: the registry, a keyless listener, and the webhook backlog gauge.
export { createApiMetrics, serveMetrics, watchWebhookQueues, type ApiMetrics, type MetricsServer } from './metrics';
// Tracing: the client interceptors that carry a request's trace into the workflows, and OTLP from the environment.
export { casesClientInterceptors } from './tracing';
export { otlpTracingFrom, type CasesTracing, type OtlpTracing } from '../worker/tracing/pipeline';
