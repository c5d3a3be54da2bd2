/**
 * `/v1/calendars`: business calendars (time zone, weekly working hours, statutory holidays and 调休
 * make-up workdays per year). Built-ins are read-only; custom calendars are versioned documents (admin).
 * A policy that names a custom calendar carries the version current when it was published.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUILT_IN_CALENDARS, type Calendar } from '../../workflows/domain/clock';
import { requireRole } from '../auth';
import { callerKey, type ApiContext } from '../context';
import { listDocuments, publishDocumentVersion, readDocument } from '../document-store';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { Problem } from '../problems';
import { problemResponses } from '../schemas/shared';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
const interval = z.object({ start: hhmm, end: hhmm }).strict();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const byYear = z.record(z.string().regex(/^\d{4}$/, 'a year'), z.array(localDate).max(400));

export const calendarBody = z.object({
  name: z.string().min(1).max(200).optional(),
  timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. Asia/Shanghai'),
  workingHours: z.union([z.literal('24x7'), z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(interval).max(8))])
    .describe('24x7, or weekday (0 = Sunday) → working intervals'),
  holidays: byYear.default({}).describe('Per year: local dates not worked'),
  makeUpWorkdays: byYear.default({}).describe('Per year: weekend dates worked instead (调休)'),
  makeUpHours: z.array(interval).max(8).optional(),
}).strict();

const calendarView = z.object({
  id: z.string(), builtIn: z.boolean(), version: z.number().int(), name: z.string().optional(), timeZone: z.string(),
  workingHours: z.unknown(), holidays: z.record(z.string(), z.array(z.string())), makeUpWorkdays: z.record(z.string(), z.array(z.string())),
  makeUpHours: z.array(interval).optional(),
});
const idParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'calendar ids are lowercase slugs') }).strict();

type StoredCalendar = Calendar & { name?: string };

const byYearOf = (dates: readonly string[]) => {
  const out: Record<string, string[]> = {};
  for (const date of [...dates].sort()) (out[date.slice(0, 4)] ??= []).push(date);
  return out;
};

function view(calendar: StoredCalendar, version: number, builtIn: boolean): z.infer<typeof calendarView> {
  return {
    id: calendar.id, builtIn, version, ...(calendar.name ? { name: calendar.name } : {}), timeZone: calendar.timeZone,
    workingHours: calendar.workingHours, holidays: byYearOf(calendar.holidays ?? []), makeUpWorkdays: byYearOf(calendar.makeUpWorkdays ?? []),
    ...(calendar.makeUpHours ? { makeUpHours: calendar.makeUpHours } : {}),
  };
}

/** The latest version of a custom calendar, by value (for embedding in a policy), or null. */
export async function customCalendar(ctx: ApiContext, id: string): Promise<Calendar | null> {
  const record = await readDocument<StoredCalendar>(ctx, 'calendar', id);
  return record ? record.content : null;
}

export const calendarRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get('/v1/calendars', {
    schema: { tags: ['calendars'], summary: 'Built-in and custom business calendars', response: { 200: z.object({ calendars: z.array(calendarView) }), ...problemResponses(401, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const builtIns = Object.values(BUILT_IN_CALENDARS).map((c) => view(c, 1, true));
    // One calendar that cannot answer (its registry unreachable) must not take the whole list down.
    const custom = await Promise.all((await listDocuments(ctx, 'calendar')).map(async (id) => {
      try {
        const record = await readDocument<StoredCalendar>(ctx, 'calendar', id);
        return record ? [view(record.content, record.version, false)] : [];
      } catch (err) {
        request.log.warn({ calendarId: id, err: (err as Error).message }, 'calendar left out of the list');
        return [];
      }
    }));
    return { calendars: [...builtIns, ...custom.flat()] };
  });

  app.get('/v1/calendars/:id', {
    schema: { tags: ['calendars'], summary: 'A calendar (latest version)', params: idParams, response: { 200: calendarView, ...problemResponses(401, 404, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const { id } = request.params;
    if (BUILT_IN_CALENDARS[id]) return view(BUILT_IN_CALENDARS[id], 1, true);
    const record = await readDocument<StoredCalendar>(ctx, 'calendar', id);
    if (!record) throw new Problem(404, 'not-found', `No calendar ${id}`);
    return view(record.content, record.version, false);
  });

  app.put('/v1/calendars/:id', {
    schema: {
      tags: ['calendars'], summary: 'Publish a new version of a custom calendar (admin)',
      description: 'Identical content publishes nothing (200); new content → 201. A built-in id → 409.',
      params: idParams, headers: idempotencyHeaders, body: calendarBody,
      response: { 200: calendarView, 201: calendarView, ...problemResponses(400, 401, 403, 409, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const { id } = request.params;
    requireRole(key, ['admin'], 'publish calendars');
    if (BUILT_IN_CALENDARS[id]) throw new Problem(409, 'conflict', `${id} is a built-in calendar and read-only`);
    const body = request.body;
    const calendar: StoredCalendar = {
      id, ...(body.name ? { name: body.name } : {}), timeZone: body.timeZone,
      workingHours: body.workingHours as Calendar['workingHours'],
      holidays: Object.values(body.holidays).flat(), makeUpWorkdays: Object.values(body.makeUpWorkdays).flat(),
      ...(body.makeUpHours ? { makeUpHours: body.makeUpHours } : {}),
    };
    const requestFingerprint = fingerprint(body);
    const updateId = updateIdFor(key.id, `PUT /v1/calendars/${id}`, request.headers['idempotency-key']);
    const result = await publishDocumentVersion(ctx, 'calendar', id, { content: calendar, publishedBy: key.id, fingerprint: requestFingerprint }, updateId);
    if (result.fingerprint !== requestFingerprint) throw keyReused('calendar');
    if (result.created) reply.code(201).header('location', `/v1/calendars/${id}`);
    return view(result.record.content as StoredCalendar, result.record.version, false);
  });
};
