/**
 * The API's spans: one SERVER span per HTTP request, named by method and route template
 * (`POST /v1/after-sales/:id/actions/:action`, never the raw URL), continuing the caller's W3C trace
 * context when it sends one; the route's handler runs inside it, so the Temporal client's OpenTelemetry
 * interceptor (`casesClientInterceptors`) makes the start, Update, signal or query span its child and
 * carries the context in the headers to the workflow. Attributes: method, route template, status code.
 * Health probes and metrics scrapes are not traced.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { casesTracer, installTraceContext, type CasesTracing } from '../worker/tracing/pipeline';

const TRACER_NAME = 'cs-cases-api';
/** Probes and scrapes, answered every few seconds, call nothing worth a trace. */
const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

interface RequestTrace {
  span: Span;
  context: Context;
}

const traces = new WeakMap<FastifyRequest, RequestTrace>();

/**
 * The interceptors a Temporal client of the API needs for its calls to continue the request's trace
 * (`new Client({ …, interceptors: casesClientInterceptors(tracing) })`).
 */
export function casesClientInterceptors(tracing: CasesTracing): ClientInterceptors {
  installTraceContext();
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: casesTracer(tracing, TRACER_NAME) })] };
}

function endSpan(request: FastifyRequest, reply: FastifyReply | undefined, aborted: boolean): void {
  const traced = traces.get(request);
  if (!traced) return;
  traces.delete(request);
  if (reply) traced.span.setAttribute('http.response.status_code', reply.statusCode);
  if (aborted) {
    traced.span.setAttribute('error.type', 'aborted');
    traced.span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (reply && reply.statusCode >= 500) {
    traced.span.setAttribute('error.type', String(reply.statusCode));
    traced.span.setStatus({ code: SpanStatusCode.ERROR });
  }
  traced.span.end();
}

/**
 * Traces every request of `app` when `tracing` is given; does nothing otherwise. Call it before any route
 * is registered and before the authentication hook, so every route and every answer (401s too) has a span.
 */
export function traceRequests(app: FastifyInstance, tracing: CasesTracing | undefined): void {
  if (!tracing) return;
  installTraceContext();
  const tracer = casesTracer(tracing, TRACER_NAME);

  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (route && UNTRACED_ROUTES.has(route)) return;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(route ? `${request.method} ${route}` : request.method, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, ...(route ? { 'http.route': route } : {}) },
    }, parent);
    traces.set(request, { span, context: trace.setSpan(parent, span) });
  });
  app.addHook('onResponse', async (request, reply) => endSpan(request, reply, false));
  app.addHook('onRequestAbort', async (request) => endSpan(request, undefined, true));
  // Each handler runs in its request's span, so what it calls (the Temporal client) becomes a child.
  app.addHook('onRoute', (route) => {
    const handler = route.handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;
    route.handler = function tracedHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const traced = traces.get(request);
      return traced ? context.with(traced.context, handler, this, request, reply) : handler.call(this, request, reply);
    } as RouteHandlerMethod;
  });
}
