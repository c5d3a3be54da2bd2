/**
 * The case workflows' tracing: the SDK's OpenTelemetry workflow interceptors, bundled into the workflow code
 * (listed in worker/workflow-interceptors.ts, so both the prebuilt bundle and a bundle made from sources
 * carry it). It runs inside the workflow sandbox and obeys the determinism rule like workflows/ does.
 *
 * Engaged only by a trace context in the headers, which the API's client interceptor adds when tracing is
 * on: a traced start gives the RunWorkflow span and a StartActivity span per activity; a traced Update,
 * signal or query gives its own handler span. An untraced case makes no span and calls no sink: no cost
 * when tracing is off. Engaging depends on history only (start, signal and Update headers are recorded),
 * so a replay makes the same choices; a query's header never changes what the workflow itself traces.
 * Spans leave the sandbox through the `exporter` sink (worker/tracing/worker-tracing.ts).
 */
import type { Headers } from '@temporalio/common';
import type { WorkflowInterceptors } from '@temporalio/workflow';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';

const traced = (headers: Headers): boolean => headers[TRACE_HEADER] !== undefined;

export const interceptors = (): WorkflowInterceptors => {
  // Made on the first traced input only: their tracer provider is set up in the sandbox on construction.
  let otel: { inbound: OpenTelemetryInboundInterceptor; outbound: OpenTelemetryOutboundInterceptor; internals: OpenTelemetryInternalsInterceptor } | undefined;
  const engaged = () => (otel ??= { inbound: new OpenTelemetryInboundInterceptor(), outbound: new OpenTelemetryOutboundInterceptor(), internals: new OpenTelemetryInternalsInterceptor() });
  // The case's own calls (activities, children, signals) are traced when its start was.
  let startTraced = false;

  return {
    inbound: [{
      execute(input, next) {
        if (!traced(input.headers)) return next(input);
        startTraced = true;
        return engaged().inbound.execute(input, next);
      },
      handleSignal: (input, next) => (traced(input.headers) ? engaged().inbound.handleSignal(input, next) : next(input)),
      validateUpdate: (input, next) => (traced(input.headers) ? engaged().inbound.validateUpdate(input, next) : next(input)),
      handleUpdate: (input, next) => (traced(input.headers) ? engaged().inbound.handleUpdate(input, next) : next(input)),
      handleQuery: (input, next) => (traced(input.headers) ? engaged().inbound.handleQuery(input, next) : next(input)),
    }],
    outbound: [{
      scheduleActivity: (input, next) => (startTraced ? engaged().outbound.scheduleActivity(input, next) : next(input)),
      scheduleLocalActivity: (input, next) => (startTraced ? engaged().outbound.scheduleLocalActivity(input, next) : next(input)),
      startChildWorkflowExecution: (input, next) => (startTraced ? engaged().outbound.startChildWorkflowExecution(input, next) : next(input)),
      signalWorkflow: (input, next) => (startTraced ? engaged().outbound.signalWorkflow(input, next) : next(input)),
      continueAsNew: (input, next) => (startTraced ? engaged().outbound.continueAsNew(input, next) : next(input)),
      // Workflow log lines carry the trace and span ids once tracing is engaged.
      getLogAttributes: (input, next) => (otel ? otel.outbound.getLogAttributes(input, next) : next(input)),
    }],
    internals: [{
      dispose: (input, next) => (otel ? otel.internals.dispose(input, next) : next(input)),
    }],
  };
};
