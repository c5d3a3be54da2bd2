/**
 * Where the spans of cs-cases go. A `CasesTracing` is a span processor and a resource: the bundled worker
 * and API build one over OTLP from the environment (`otlpTracingFrom`); an embedder hands in its own. Spans
 * are made by a tracer provider of our own that is never registered as the global one, and are redacted on
 * the way out. Propagating a trace across calls needs the OpenTelemetry API's context manager and
 * propagator: `installTraceContext` sets W3C trace context and an AsyncLocalStorage manager only where
 * none is set, and only when tracing is configured.
 */
import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { tracingConfigFrom, type TracingConfig } from './config';
import { RedactingSpanProcessor } from './redaction';

export interface CasesTracing {
  /** Where finished spans go (a BatchSpanProcessor over an exporter, usually); they arrive redacted. */
  spanProcessor: SpanProcessor;
  /** The resource spans are reported under (service.name at least). */
  resource: Resource;
}

export interface OtlpTracing extends CasesTracing {
  config: TracingConfig;
  /** Exports what is still buffered, then stops: call it when the process closes. */
  shutdown(): Promise<void>;
}

/**
 * Spans exported over OTLP/HTTP as `env` configures (see tracingConfigFrom), batched (OTEL_BSP_* apply);
 * undefined when no endpoint is configured: then nothing is created at all. Headers, timeout and
 * compression come from the standard OTEL_EXPORTER_OTLP_* variables of the process.
 */
export function otlpTracingFrom(env: NodeJS.ProcessEnv, defaultServiceName: string): OtlpTracing | undefined {
  const config = tracingConfigFrom(env, defaultServiceName);
  if (!config) return undefined;
  const exporter = config.protocol === 'http/json' ? new OtlpJsonTraceExporter({ url: config.url }) : new OtlpProtobufTraceExporter({ url: config.url });
  const spanProcessor = new BatchSpanProcessor(exporter);
  const resource = new Resource({
    ...Resource.default().attributes,
    ...envDetectorSync.detect().attributes,
    'service.name': config.serviceName,
  });
  return { config, spanProcessor, resource, shutdown: () => spanProcessor.shutdown() };
}

/**
 * W3C trace context as the global propagator and an AsyncLocalStorage context manager, each only if none
 * is registered yet (an embedding application's own setup wins when it ran first: the OpenTelemetry API
 * keeps the first registration). Without them no trace crosses a call.
 */
export function installTraceContext(): void {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const manager = new AsyncLocalStorageContextManager();
  if (context.setGlobalContextManager(manager.enable())) return;
  manager.disable();
}

interface Pipeline {
  processor: SpanProcessor;
  provider: BasicTracerProvider;
}

const pipelines = new WeakMap<CasesTracing, Pipeline>();

/** The redacting processor and the (never global) tracer provider of `tracing`, one per tracing. */
function pipelineOf(tracing: CasesTracing): Pipeline {
  let pipeline = pipelines.get(tracing);
  if (!pipeline) {
    const processor = new RedactingSpanProcessor(tracing.spanProcessor);
    pipeline = { processor, provider: new BasicTracerProvider({ resource: tracing.resource, spanProcessors: [processor] }) };
    pipelines.set(tracing, pipeline);
  }
  return pipeline;
}

/** A tracer whose spans go, redacted, to `tracing`'s processor. */
export function casesTracer(tracing: CasesTracing, name: string): Tracer {
  return pipelineOf(tracing).provider.getTracer(name);
}

/** The redacting processor in front of `tracing`'s own: where the workflows' spans go too. */
export function casesSpanProcessor(tracing: CasesTracing): SpanProcessor {
  return pipelineOf(tracing).processor;
}
