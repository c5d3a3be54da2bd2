/**
 * When a process traces, from the standard OpenTelemetry variables: on only with an OTLP endpoint, the
 * traces URL as the specification builds it, HTTP protobuf by default or JSON, and a named error for what
 * cannot work (gRPC, another exporter, a URL that is not http).
 */
import { describe, expect, it } from 'vitest';
import { tracingConfigFrom } from '../../../worker/tracing/config';

describe('tracingConfigFrom', () => {
  it.each([
    ['nothing set', {}],
    ['only a service name and a protocol', { OTEL_SERVICE_NAME: 'shop', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }],
    ['empty endpoints', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' }],
    ['the SDK disabled', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }],
    ['the traces exporter none', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }],
  ])('is off with %s', (_case, env) => {
    expect(tracingConfigFrom(env, 'cs-cases-api')).toBeUndefined();
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, { url: 'http://collector:4318/v1/traces', protocol: 'http/protobuf', serviceName: 'cs-cases-api' }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/otlp/' }, { url: 'https://otel.example/otlp/v1/traces', protocol: 'http/protobuf', serviceName: 'cs-cases-api' }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom/traces' }, { url: 'http://b:4318/custom/traces', protocol: 'http/protobuf', serviceName: 'cs-cases-api' }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'shop-api' }, { url: 'http://a:4318/v1/traces', protocol: 'http/json', serviceName: 'shop-api' }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, { url: 'http://a:4318/v1/traces', protocol: 'http/json', serviceName: 'cs-cases-api' }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'otlp' }, { url: 'http://a:4318/v1/traces', protocol: 'http/protobuf', serviceName: 'cs-cases-api' }],
  ])('with %j exports as %j', (env, expected) => {
    expect(tracingConfigFrom(env, 'cs-cases-api')).toEqual(expected);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /OTEL_EXPORTER_OTLP_PROTOCOL: .*http\/protobuf or http\/json.*got grpc/],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http\(s\) URL/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'zipkin' }, /OTEL_TRACES_EXPORTER: .*got zipkin/],
  ])('refuses %j', (env, message) => {
    expect(() => tracingConfigFrom(env, 'cs-cases-api')).toThrow(message);
  });
});
