/**
 * What of a span leaves the process: the allowed attribute keys with primitive values, an exception's type
 * (never its message or stack), an error status without its message; names, ids, parent and timings as made.
 */
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { RedactingSpanProcessor } from '../../../worker/tracing/redaction';

function exportedThrough(make: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new RedactingSpanProcessor(new SimpleSpanProcessor(exporter))] });
  make(provider.getTracer('test'));
  return exporter.getFinishedSpans();
}

describe('RedactingSpanProcessor', () => {
  it('keeps only the allowed attributes, counting the rest as dropped', () => {
    const [span] = exportedThrough((tracer) => {
      const s = tracer.startSpan('StartWorkflow:afterSale', {
        attributes: {
          temporalWorkflowId: 'as_0f3c', run_id: 'r-1', 'http.route': '/v1/after-sales/:id',
          customerRef: 'cust-7f3a', description: 'sole came off', temporalTerminateReason: 'customer asked by phone 138…', 'url.full': 'http://api/v1/after-sales/as_0f3c',
        },
      });
      s.end();
    });
    expect(span.name).toBe('StartWorkflow:afterSale');
    expect(span.attributes).toEqual({ temporalWorkflowId: 'as_0f3c', run_id: 'r-1', 'http.route': '/v1/after-sales/:id' });
    expect(span.droppedAttributesCount).toBe(4);
  });

  it('keeps an error as a status code and an exception type, never their messages or stack', () => {
    const [span] = exportedThrough((tracer) => {
      const s = tracer.startSpan('RunActivity:refund');
      s.recordException(Object.assign(new Error('refund refused for buyer Wang Fang, phone 13800000000'), { name: 'RefundRefusedError' }));
      s.setStatus({ code: SpanStatusCode.ERROR, message: 'refund refused for buyer Wang Fang' });
      s.end();
    });
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([['exception', { 'exception.type': 'RefundRefusedError' }]]);
    expect(JSON.stringify({ events: span.events, status: span.status, attributes: span.attributes })).not.toMatch(/Wang|138/);
  });

  it('leaves ids, parent and timings as they were made', () => {
    const spans = exportedThrough((tracer) => {
      const parent = tracer.startSpan('POST /v1/inquiries');
      const child = tracer.startSpan('StartWorkflow:inquiry', {}, trace.setSpan(context.active(), parent));
      child.end();
      parent.end();
    });
    const [child, parent] = spans;
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child.parentSpanId).toBe(parent.spanContext().spanId);
    expect(child.endTime).toEqual(expect.any(Array));
    expect(parent.status).toEqual({ code: SpanStatusCode.UNSET });
  });
});
