/**
 * The Temporal codec-server protocol (`POST /codec/decode`, `POST /codec/encode`) so supervisors read
 * decrypted case data in the Temporal UI. Browsers call it cross-origin: only the UI origins on the
 * allow-list get CORS. Who may call: a valid API key of a staff role; with OpenID Connect configured
 * (`oidc`), a supervisor's access token that the UI forwards (TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true, https
 * endpoints only) whose roles claim maps to a staff role; or — where the UI cannot send either (the
 * embedded default) — a request from loopback when `allowLoopback` is on (never in production).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate, type ApiKeyStore } from '../auth';
import { CODEC_STAFF_ROLES, CodecAuthRefusal, createCodecTokenVerifier, looksLikeJwt, type CodecOidcConfig } from '../codec-auth';
import type { ApiContext } from '../context';
import { Problem, sendProblem } from '../problems';
import { problemResponses } from '../schemas/shared';

export interface CodecOptions {
  payloadCodecs: readonly PayloadCodec[];
  /** Origins of the Temporal UI allowed to call from a browser. */
  corsOrigins: readonly string[];
  /** Accept calls without an API key from loopback addresses (development only). */
  allowLoopback: boolean;
  /** Accept OpenID Connect access tokens of staff (see codec-auth.ts); undefined: API keys only. */
  oidc?: CodecOidcConfig;
}

/** Request headers the Temporal UI sends: `authorization-extras` carries the ID token beside the access token. */
export const CODEC_CORS_ALLOW_HEADERS = 'content-type, x-namespace, authorization, authorization-extras';
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const wirePayload = z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() });
const payloadsAnswer = z.object({ payloads: z.array(wirePayload).max(1000) });
// The Temporal CLI sends an empty payload list as `{}` (protobuf JSON leaves empty lists out).
const payloadsBody = payloadsAnswer.extend({ payloads: payloadsAnswer.shape.payloads.optional().describe('Absent: no payloads') });

function fromWire(p: z.infer<typeof wirePayload>): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

function toWire(p: Payload): z.infer<typeof wirePayload> {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');

export const codecRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; keys: ApiKeyStore; codec: CodecOptions }> = async (app, { ctx, keys, codec }) => {
  const verifier = codec.oidc ? createCodecTokenVerifier(codec.oidc) : undefined;

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!codec.corsOrigins.includes(origin)) throw new Problem(403, 'forbidden', `Origin ${origin} is not an allowed Temporal UI origin`);
      reply.header('access-control-allow-origin', origin).header('vary', 'origin')
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', CODEC_CORS_ALLOW_HEADERS)
        .header('access-control-allow-credentials', 'true')
        .header('access-control-max-age', '600');
    }
    if (request.method === 'OPTIONS') return;
    const authorization = request.headers.authorization;
    const bearer = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (verifier && bearer !== undefined && looksLikeJwt(bearer)) {
      try {
        await verifier.verify(bearer);
      } catch (err) {
        if (!(err instanceof CodecAuthRefusal)) throw err;
        // One line per refusal, with what failed and never the token; answered here so the error handler adds none.
        const log = err.status === 503 ? request.log.error.bind(request.log) : request.log.warn.bind(request.log);
        log({ codecAuth: { reason: err.reason, status: err.status, ...err.logFields } }, `codec token refused: ${err.detail}`);
        return sendProblem(reply, err);
      }
    } else if (authorization) {
      const key = authenticate(keys, authorization);
      if (!CODEC_STAFF_ROLES.includes(key.role)) throw new Problem(403, 'forbidden', `Role ${key.role} may not read case payloads`);
    } else if (!(codec.allowLoopback && isLoopback(request.ip))) {
      throw new Problem(401, 'unauthorized', `The codec endpoint needs a staff API key${verifier ? ', a staff access token' : ''} (or a loopback call in development)`, {}, { 'www-authenticate': 'Bearer' });
    }
    // The Temporal CLI sends an empty X-Namespace when no namespace was named: that is the one served here.
    const namespace = request.headers['x-namespace'];
    if (namespace !== undefined && namespace !== '' && namespace !== ctx.namespace) {
      throw new Problem(400, 'invalid-request', `X-Namespace ${String(namespace)} is not served here (${ctx.namespace})`);
    }
  });

  app.options('/codec/:operation', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.code(204).send());

  for (const operation of ['decode', 'encode'] as const) {
    app.post(`/codec/${operation}`, {
      config: { public: true },
      schema: {
        tags: ['codec'],
        summary: `Temporal codec server: ${operation} payloads (for the Temporal UI)`,
        body: payloadsBody,
        response: { 200: payloadsAnswer, ...problemResponses(400, 401, 403, 413, 429, 503) },
      },
    }, async (request) => {
      let payloads = (request.body.payloads ?? []).map(fromWire);
      try {
        if (operation === 'decode') for (const c of [...codec.payloadCodecs].reverse()) payloads = await c.decode(payloads);
        else for (const c of codec.payloadCodecs) payloads = await c.encode(payloads);
      } catch (err) {
        throw new Problem(400, 'invalid-request', `Payloads could not be ${operation}d: ${(err as Error).message}`);
      }
      return { payloads: payloads.map(toWire) };
    });
  }
};
