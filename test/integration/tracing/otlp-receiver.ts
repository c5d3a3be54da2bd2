/**
 * A small OTLP/HTTP trace receiver for tests: a node http server on a loopback port that accepts
 * `POST /v1/traces` in both encodings the exporters use (JSON, and protobuf decoded here with a hand-written
 * subset of the OTLP schema) and keeps every span it got, flattened with its resource's service name.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  status: { code: number; message?: string };
  service: string;
  /** How it arrived. */
  encoding: 'json' | 'protobuf';
}

export interface OtlpReceiver {
  /** http://127.0.0.1:<port> (an OTEL_EXPORTER_OTLP_ENDPOINT). */
  url: string;
  spans(): ReceivedSpan[];
  /** Export requests received, by encoding. */
  requests(): { json: number; protobuf: number };
  close(): Promise<void>;
}

// The part of opentelemetry/proto/collector/trace/v1 (and its common, resource and trace messages) a test reads.
const OTLP_PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { repeated Span spans = 2; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; int32 kind = 6;
  repeated KeyValue attributes = 9; repeated Event events = 11; Status status = 15;
}
message Event { string name = 2; repeated KeyValue attributes = 3; }
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

const ExportTraceServiceRequest = protobuf.parse(OTLP_PROTO, { keepCase: false }).root.lookupType('otlp.ExportTraceServiceRequest');

/** JSON and protobuf requests alike, as protobufjs's toObject (longs and bytes as strings) or OTLP JSON give them. */
interface LooseValue {
  stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number;
  arrayValue?: { values?: LooseValue[] }; kvlistValue?: { values?: LooseKeyValue[] }; bytesValue?: string;
}
interface LooseKeyValue { key: string; value?: LooseValue }
interface LooseSpan {
  traceId?: string; spanId?: string; parentSpanId?: string; name?: string; kind?: number;
  attributes?: LooseKeyValue[]; events?: { name?: string; attributes?: LooseKeyValue[] }[]; status?: { code?: number; message?: string };
}
interface LooseRequest { resourceSpans?: { resource?: { attributes?: LooseKeyValue[] }; scopeSpans?: { spans?: LooseSpan[] }[] }[] }

function valueOf(value: LooseValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return value.bytesValue;
}

function attributesOf(list: LooseKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

/** Ids arrive as hex in OTLP JSON and as bytes in protobuf (base64 after toObject). */
function hexId(id: string | undefined, encoding: ReceivedSpan['encoding']): string {
  if (!id) return '';
  return encoding === 'json' ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function flatten(request: LooseRequest, encoding: ReceivedSpan['encoding']): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) => (scope.spans ?? []).map((span): ReceivedSpan => ({
      traceId: hexId(span.traceId, encoding),
      spanId: hexId(span.spanId, encoding),
      parentSpanId: hexId(span.parentSpanId, encoding),
      name: span.name ?? '',
      kind: span.kind ?? 0,
      attributes: attributesOf(span.attributes),
      events: (span.events ?? []).map((event) => ({ name: event.name ?? '', attributes: attributesOf(event.attributes) })),
      status: { code: span.status?.code ?? 0, ...(span.status?.message ? { message: span.status.message } : {}) },
      service,
      encoding,
    })));
  });
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const counts = { json: 0, protobuf: 0 };
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/traces') {
      res.writeHead(404).end();
      return;
    }
    bodyOf(req).then((body) => {
      const contentType = String(req.headers['content-type'] ?? '');
      if (contentType.startsWith('application/json')) {
        received.push(...flatten(JSON.parse(body.toString('utf8')) as LooseRequest, 'json'));
        counts.json += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else if (contentType.startsWith('application/x-protobuf')) {
        const decoded = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String, bytes: String, defaults: false });
        received.push(...flatten(decoded as LooseRequest, 'protobuf'));
        counts.protobuf += 1;
        // An empty ExportTraceServiceResponse.
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } else {
        res.writeHead(415).end();
      }
    }).catch((err: Error) => res.writeHead(400, { 'content-type': 'text/plain' }).end(err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    requests: () => ({ ...counts }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
