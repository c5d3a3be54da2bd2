/**
 * The worker's side of case tracing, added by the cases plugin to the options of the Worker it configures:
 * a span per activity run of a traced case (the SDK's OpenTelemetry activity interceptors, child of the
 * workflow's StartActivity span), the client interceptor on the activities' own client (a webhook delivery signalled
 * by a case's activity continues the case's trace), and the `exporter` sink through which the workflow interceptors
 * (worker/tracing/workflow-spans.ts) hand their spans out of the sandbox. Without tracing the sink is still
 * there and drops what a traced start or Update makes a workflow report, so a worker that does not export
 * never logs an unregistered sink; nothing else is added.
 */
import type { WorkflowInfo } from '@temporalio/workflow';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, InjectedSinks, Next, ReplayWorkerOptions, WorkerOptions } from '@temporalio/worker';
import {
  makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { casesSpanProcessor, casesTracer, installTraceContext, type CasesTracing } from './pipeline';

/** The SDK's activity span, for activities a traced case scheduled (their headers carry its context) only. */
class CaseActivitySpans extends OpenTelemetryActivityInboundInterceptor {
  override async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    return input.headers[TRACE_HEADER] === undefined ? next(input) : super.execute(input, next);
  }
}

/** Of a workflow's info, what its spans carry (ids and names; never its memo, search attributes or results). */
function spanInfo(info: WorkflowInfo): WorkflowInfo {
  const { workflowId, runId, workflowType, taskQueue, namespace } = info;
  // makeWorkflowExporter copies every field it is given into the span's attributes: hand it only these.
  return { workflowId, runId, workflowType, taskQueue, namespace } as WorkflowInfo;
}

/** The sink the workflow interceptors export through: to `tracing`, or nowhere. */
export function workflowSpanSinks(tracing: CasesTracing | undefined): InjectedSinks<OpenTelemetrySinks> {
  if (!tracing) return { exporter: { export: { fn: () => undefined } } };
  const exporter = makeWorkflowExporter(casesSpanProcessor(tracing), tracing.resource);
  return { exporter: { export: { fn: (info, spans) => exporter.export.fn(spanInfo(info), spans) } } };
}

/**
 * `options` with the case tracing: the span sink always (an exporter sink set before, by another plugin,
 * is kept when tracing is off), the activity and activity-client interceptors only with tracing.
 */
export function withCaseTracing<O extends WorkerOptions | ReplayWorkerOptions>(options: O, tracing: CasesTracing | undefined): O {
  const sinks = { ...options.sinks, ...(tracing || !options.sinks?.exporter ? workflowSpanSinks(tracing) : {}) };
  if (!tracing) return { ...options, sinks };
  installTraceContext();
  const tracer = casesTracer(tracing, 'cs-cases-worker');
  const clientWorkflow = options.interceptors?.client?.workflow;
  return {
    ...options,
    sinks,
    interceptors: {
      ...options.interceptors,
      // An object of the deprecated per-method form is left as it is.
      ...(clientWorkflow === undefined || Array.isArray(clientWorkflow)
        ? { client: { ...options.interceptors?.client, workflow: [...(clientWorkflow ?? []), new OpenTelemetryWorkflowClientInterceptor({ tracer })] } }
        : {}),
      activity: [
        ...(options.interceptors?.activity ?? []),
        (ctx) => ({ inbound: new CaseActivitySpans(ctx, { tracer }), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
      ],
    },
  };
}
