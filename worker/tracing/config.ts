/**
 * Whether a process exports traces, read from the standard OpenTelemetry variables: on only when an OTLP
 * endpoint is set (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces), over
 * HTTP with protobuf (the OTLP default) or JSON bodies. Off otherwise: no exporter, no tracer, nothing installed.
 */

export type OtlpHttpProtocol = 'http/protobuf' | 'http/json';

export interface TracingConfig {
  /** Where spans are posted (the OTLP/HTTP traces URL). */
  url: string;
  protocol: OtlpHttpProtocol;
  /** The `service.name` resource attribute: OTEL_SERVICE_NAME, else the process's own name. */
  serviceName: string;
}

const PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'];

/**
 * The tracing configuration of `env`, or undefined when no endpoint is set, OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none. Throws a message naming the variable when a value cannot work.
 */
export function tracingConfigFrom(env: NodeJS.ProcessEnv, defaultServiceName: string): TracingConfig | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (exporters.includes('none')) return undefined;
  const unsupported = exporters.filter((name) => name !== 'otlp');
  if (unsupported.length > 0) throw new Error(`OTEL_TRACES_EXPORTER: cs-cases exports traces over OTLP only (otlp or none), got ${unsupported.join(', ')}`);

  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!tracesEndpoint && !endpoint) return undefined;
  // The signal-specific URL is used as given; the general one gets the traces path (OTLP exporter specification).
  const [name, url] = tracesEndpoint
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint]
    : ['OTEL_EXPORTER_OTLP_ENDPOINT', `${endpoint!.replace(/\/+$/, '')}/v1/traces`];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${name} must be an http(s) URL such as http://collector:4318, got ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL such as http://collector:4318, got ${url}`);

  const protocolName = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = (env[protocolName]?.trim() || 'http/protobuf').toLowerCase();
  if (!PROTOCOLS.includes(protocol)) {
    throw new Error(`${protocolName}: cs-cases exports traces over OTLP/HTTP (http/protobuf or http/json; a collector's port 4318), got ${protocol}`);
  }
  return { url, protocol: protocol as OtlpHttpProtocol, serviceName: env.OTEL_SERVICE_NAME?.trim() || defaultServiceName };
}
