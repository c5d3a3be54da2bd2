/**
 * The Temporal codec-server protocol (`POST /codec/decode`, `POST /codec/encode`) so supervisors read
 * decrypted case data in the Temporal UI. Browsers call it cross-origin: only the UI origins on the
 * allow-list get CORS. Who may call: a valid API key of a staff role, or — where the UI cannot send one
 * (the embedded default) — a request from loopback when `allowLoopback` is on. In production put it behind
 * a reverse proxy that authenticates supervisors, or give the UI a token (TEMPORAL_CODEC_PASS_ACCESS_TOKEN).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate, type ApiKeyStore } from '../auth';
import type { ApiContext } from '../context';
import { Problem } from '../problems';
import { problemResponses } from '../schemas/shared';

export interface CodecOptions {
  payloadCodecs: readonly PayloadCodec[];
  /** Origins of the Temporal UI allowed to call from a browser. */
  corsOrigins: readonly string[];
  /** Accept calls without an API key from loopback addresses (development only). */
  allowLoopback: boolean;
}

const STAFF_ROLES = ['agent', 'supervisor', 'arbiter', 'admin'];
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const wirePayload = z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() });
const payloadsBody = z.object({ payloads: z.array(wirePayload).max(1000) });

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
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!codec.corsOrigins.includes(origin)) throw new Problem(403, 'forbidden', `Origin ${origin} is not an allowed Temporal UI origin`);
      reply.header('access-control-allow-origin', origin).header('vary', 'origin')
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'content-type, x-namespace, authorization')
        .header('access-control-allow-credentials', 'true')
        .header('access-control-max-age', '600');
    }
    if (request.method === 'OPTIONS') return;
    if (request.headers.authorization) {
      const key = authenticate(keys, request.headers.authorization);
      if (!STAFF_ROLES.includes(key.role)) throw new Problem(403, 'forbidden', `Role ${key.role} may not read case payloads`);
    } else if (!(codec.allowLoopback && isLoopback(request.ip))) {
      throw new Problem(401, 'unauthorized', 'The codec endpoint needs a staff API key (or a loopback call in development)', {}, { 'www-authenticate': 'Bearer' });
    }
    const namespace = request.headers['x-namespace'];
    if (namespace !== undefined && namespace !== ctx.namespace) {
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
        response: { 200: payloadsBody, ...problemResponses(400, 401, 403, 413) },
      },
    }, async (request) => {
      let payloads = request.body.payloads.map(fromWire);
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
