/**
 * The HTTP API as a Fastify instance: zod schemas on every route (unknown fields rejected), OpenAPI at
 * /docs/json with Swagger UI at /docs, API-key auth, per-key rate limits, request ids, 1 MiB bodies,
 * PII-redacting logs, and one error handler that answers problem+json. The API holds no case state.
 * Served over HTTPS when given a key and certificate (the Temporal UI forwards sign-in tokens to https
 * codec endpoints only).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import helmet from 'helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authenticate, sha256Hex, type ApiKeyStore } from './auth';
import { createApiContext } from './context';
import { countRequests, createApiMetrics, metricsRoute, watchOpenCases, type ApiMetrics } from './metrics';
import { refineOpenApi } from './openapi';
import { traceRequests } from './tracing';
import type { CasesTracing } from '../worker/tracing/pipeline';
import { Problem, problemFromError, sendProblem } from './problems';
import { afterSaleRoutes } from './routes/after-sales';
import { healthRoutes } from './routes/health';
import { policyRoutes } from './routes/policies';
import { codecRoutes, type CodecOptions } from './routes/codec';
import { reportRoutes } from './routes/reports';
import { calendarRoutes } from './routes/calendars';
import { policyPreviewRoutes } from './routes/policy-preview';
import { policySelectionRoutes } from './routes/policy-selection';
import { caseListRoutes } from './routes/cases';
import { webhookRoutes } from './routes/webhooks';
import { complaintRoutes } from './routes/complaints';
import { inquiryRoutes } from './routes/inquiries';
import { orderIssueRoutes } from './routes/order-issues';
import { logisticsCallbackRoutes } from './routes/callbacks-logistics';
import { satisfactionCallbackRoutes } from './routes/callbacks-satisfaction';
import { sandboxControlsAllowed, sandboxRoutes } from './routes/sandbox';
import type { SandboxAdapters } from '../worker/sandbox';
import type { CaseProjection } from '../activities/projection';

export const BODY_LIMIT_BYTES = 1_048_576;
/** Longest path parameter the router matches; Node's 16 KiB header limit refuses longer URLs first. */
export const MAX_PARAM_LENGTH = 16_384;

export interface BuildAppDeps {
  client: Client;
  taskQueue: string;
  namespace: string;
  keys: ApiKeyStore;
  /** pino options, a logger instance, or false for silence (tests). */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** How long a Temporal call may take before the answer is 503 (no worker, server down). */
  temporalCallTimeoutMs?: number;
  now?: () => number;
  /** Requests per key per window; generous by default. */
  rateLimit?: { max: number; timeWindowMs: number };
  /**
   * Codec endpoint for the Temporal UI; by default the client's own codecs, UI origins of the dev server,
   * loopback allowed outside production, and no OpenID Connect (`oidc`: pass `codecAuthFrom(process.env)`).
   */
  codec?: Partial<CodecOptions>;
  /** Serve HTTPS with this PEM key and certificate (see `httpsFrom`); plain HTTP when absent. */
  https?: HttpsOptions;
  /**
   * The worker's sandbox adapters when it runs in this process (the embedded default): serves the
   * `/v1/sandbox/*` controls for them, never when NODE_ENV=production. Absent: no sandbox routes (404).
   */
  sandbox?: Partial<SandboxAdapters>;
  /**
   * Where requests and Temporal calls are counted (`createApiMetrics`); a fresh registry when absent.
   * api/main.ts passes its own to serve it on METRICS_HOST/METRICS_PORT as well.
   */
  metrics?: ApiMetrics;
  /**
   * Where request spans go (`otlpTracingFrom`, or your own span processor and resource); absent: no spans.
   * Give the client `casesClientInterceptors(tracing)` too, so its calls continue the request's trace.
   */
  tracing?: CasesTracing;
  /**
   * The case projection the worker keeps (`openCaseProjection`): GET of a case, the case list and reports
   * read it, so they answer without a worker. Absent: they ask the workflows (Queries), as before.
   */
  projection?: CaseProjection;
}

export interface HttpsOptions {
  key: string | Buffer;
  cert: string | Buffer;
}

/**
 * The HTTPS key and certificate the environment names: `TLS_CERT_FILE` and `TLS_KEY_FILE` (PEM files), both
 * or neither; undefined when neither is set. Throws a message naming the variable when a file is unreadable.
 */
export function httpsFrom(env: NodeJS.ProcessEnv): HttpsOptions | undefined {
  const certFile = env.TLS_CERT_FILE?.trim();
  const keyFile = env.TLS_KEY_FILE?.trim();
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('TLS_CERT_FILE and TLS_KEY_FILE go together: set both to serve HTTPS, or neither');
  const read = (file: string, name: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`${name} ${file} cannot be read: ${(err as Error).message}`, { cause: err });
    }
  };
  return { cert: read(certFile, 'TLS_CERT_FILE'), key: read(keyFile, 'TLS_KEY_FILE') };
}

/** Log paths that may carry personal data or secrets (保密性): never written in clear. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization', 'headers.authorization', 'authorization',
  'req.headers["authorization-extras"]', 'headers["authorization-extras"]',
  ...['customerRef', 'description', 'evidence', 'note', 'comment', 'summary', 'question', 'message', 'newAddress', 'address', 'phone', 'recipient']
    .flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

function loggerOptions(logger: BuildAppDeps['logger']): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (logger && typeof logger === 'object' && 'child' in logger && typeof logger.child === 'function') {
    return { loggerInstance: logger as FastifyBaseLogger };
  }
  if (logger === false) return { logger: false };
  const options = logger && typeof logger === 'object' ? logger : {};
  return { logger: { level: process.env.LOG_LEVEL ?? 'info', ...options, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } } };
}

function isPublicPath(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');
}

/** Temporal UI origins of the embedded default; production sets CODEC_CORS_ORIGINS. */
const DEV_UI_ORIGINS = ['http://127.0.0.1:8233', 'http://localhost:8233'];

function codecOptions(deps: BuildAppDeps): CodecOptions {
  const clientCodecs = (deps.client as { options?: { loadedDataConverter?: { payloadCodecs?: CodecOptions['payloadCodecs'] } } }).options?.loadedDataConverter?.payloadCodecs ?? [];
  const origins = process.env.CODEC_CORS_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean);
  return {
    payloadCodecs: deps.codec?.payloadCodecs ?? clientCodecs,
    corsOrigins: deps.codec?.corsOrigins ?? origins ?? DEV_UI_ORIGINS,
    allowLoopback: deps.codec?.allowLoopback ?? process.env.NODE_ENV !== 'production',
    ...(deps.codec?.oidc ? { oidc: deps.codec.oidc } : {}),
  };
}

export async function buildApp(deps: BuildAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(deps.logger),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    // Echo the caller's request id when it is sane, else make one; every response carries it.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    // Ids past the router's default 100 characters would get its own 414 before authentication: let them
    // through to the routes (an id that cannot exist is an unknown case, 404); Node bounds the URL itself.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // An https server is the same instance to every route and hook; only the listener differs.
    ...(deps.https ? { https: { key: deps.https.key, cert: deps.https.cert } } : {}),
  } as FastifyServerOptions).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('apiKey', null);

  const metrics = deps.metrics ?? createApiMetrics();
  countRequests(app, metrics);
  traceRequests(app, deps.tracing);

  app.setErrorHandler((err, request, reply) => {
    const problem = problemFromError(err);
    if (problem.status >= 500 && problem.slug === 'internal') request.log.error({ err }, 'request failed');
    else request.log.info({ status: problem.status, type: problem.slug }, problem.detail);
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, new Problem(404, 'not-found', `No route ${request.method} ${request.url.split('?')[0]}`)));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.routeOptions.config?.public || isPublicPath(request.url)) return;
    request.apiKey = authenticate(deps.keys, request.headers.authorization);
  });

  // Helmet's security headers (on every answer whose request passed the hook above), from one middleware
  // built here: the @fastify/helmet plugin built the same middleware anew for every request.
  const securityHeaders = helmet();
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
  await app.register(rateLimit, {
    global: true,
    max: deps.rateLimit?.max ?? 600,
    timeWindow: deps.rateLimit?.timeWindowMs ?? 60_000,
    // Per API key: authentication ran first, so every counted request has one.
    keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.id}` : `anon:${sha256Hex(request.ip)}`),
    errorResponseBuilder: (_request, context) => new Problem(429, 'rate-limited', `Rate limit of ${context.max} requests per ${context.after} exceeded`, { limit: 'api' }, { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'cs-cases API', version: '1.0.0', description: 'Complaint and after-sale cases on Temporal. Errors are application/problem+json.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => refineOpenApi('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  metricsRoute(app, metrics);
  // Open cases by whose move it is, from the projection (once per registry: an API built twice on one registry counts once).
  if (deps.projection && !metrics.registry.getSingleMetric('cs_cases_open')) watchOpenCases(metrics, deps.projection);

  const ctx = createApiContext({ ...deps, metrics });
  await app.register(healthRoutes, { ctx });
  await app.register(afterSaleRoutes, { ctx });
  await app.register(complaintRoutes, { ctx });
  await app.register(inquiryRoutes, { ctx });
  await app.register(orderIssueRoutes, { ctx });
  await app.register(logisticsCallbackRoutes, { ctx });
  await app.register(satisfactionCallbackRoutes, { ctx });
  await app.register(policyRoutes, { ctx });
  await app.register(calendarRoutes, { ctx });
  await app.register(policyPreviewRoutes, { ctx });
  await app.register(policySelectionRoutes, { ctx });
  await app.register(reportRoutes, { ctx });
  await app.register(caseListRoutes, { ctx });
  await app.register(webhookRoutes, { ctx });
  await app.register(codecRoutes, { ctx, keys: deps.keys, codec: codecOptions(deps) });
  if (deps.sandbox && sandboxControlsAllowed()) await app.register(sandboxRoutes, { sandbox: deps.sandbox });
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No API key needed (health probes, docs). */
    public?: boolean;
  }
}
