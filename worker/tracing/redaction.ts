/**
 * What of a span may leave the process: names, ids, timings and the attributes named here, nothing else.
 * Case data never rides in spans (保密性): no bodies, no customer references, no memo, and no error
 * messages (a message may quote a caller's input); an error keeps its type and status, and its details stay
 * in the logs, which carry the trace and span ids.
 */
import { SpanStatusCode, type Attributes, type Context, type Link } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';

/** Span attributes that carry no personal data: HTTP route templates and status, Temporal ids and names. */
export const SPAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  // HTTP server spans of the API (route templates, never raw URLs).
  'http.request.method', 'http.route', 'http.response.status_code', 'error.type',
  // The SDK's OpenTelemetry interceptors: workflow ids are hashes of the caller's key, update ids too.
  'temporalWorkflowId', 'run_id', 'temporalUpdateId', 'temporalActivityId',
  // What the workflow span sink adds from the workflow's info (worker/tracing/worker-tracing.ts).
  'workflowId', 'runId', 'workflowType', 'taskQueue', 'namespace',
]);

/** Of an exception event, only its type. */
const EVENT_ATTRIBUTES: ReadonlySet<string> = new Set(['exception.type']);

function kept(attributes: Attributes | undefined, allowed: ReadonlySet<string>): { attributes: Attributes; dropped: number } {
  const result: Attributes = {};
  let dropped = 0;
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (allowed.has(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) result[key] = value;
    else dropped += 1;
  }
  return { attributes: result, dropped };
}

/** A copy of `span` with only what may be exported. */
export function redactedSpan(span: ReadableSpan): ReadableSpan {
  const own = kept(span.attributes, SPAN_ATTRIBUTES);
  const events: TimedEvent[] = span.events.map((event) => {
    const attributes = kept(event.attributes, EVENT_ATTRIBUTES);
    return { name: event.name, time: event.time, attributes: attributes.attributes, droppedAttributesCount: (event.droppedAttributesCount ?? 0) + attributes.dropped };
  });
  const links: Link[] = span.links.map((link) => ({ context: link.context, attributes: kept(link.attributes, SPAN_ATTRIBUTES).attributes }));
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanId: span.parentSpanId,
    startTime: span.startTime,
    endTime: span.endTime,
    // The code says it failed; the message could quote input.
    status: span.status.code === SpanStatusCode.ERROR ? { code: SpanStatusCode.ERROR } : { code: span.status.code },
    attributes: own.attributes,
    links,
    events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationLibrary: span.instrumentationLibrary,
    droppedAttributesCount: span.droppedAttributesCount + own.dropped,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Hands `next` the redacted copy of every finished span: put it in front of the exporting processor. */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(redactedSpan(span));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
