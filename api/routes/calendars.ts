/**
 * `/v1/calendars`: business calendars (time zone, weekly working hours, statutory holidays and 调休
 * make-up workdays per year). Built-ins are read-only; custom calendars are versioned documents that only
 * admins publish. A policy that names a custom calendar carries the version current when it was published.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BUILT_IN_CALENDARS } from '../../workflows/domain/clock';
import { requireRole } from '../auth';
import {
  calendarFromBody, listCalendarVersions, listCustomCalendarIds, publishCalendar, readCustomCalendar, reservedCalendar, type StoredCalendar,
} from '../calendar-store';
import { callerKey, type ApiContext } from '../context';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { Problem } from '../problems';
import { isoInZone } from '../render';
import {
  calendarBodySchema, calendarIdParams, calendarListSchema, calendarVersionParams, calendarVersionsSchema, calendarViewSchema, type CalendarView,
} from '../schemas/calendar';
import { problemResponses } from '../schemas/shared';

const byYearOf = (dates: readonly string[]) => {
  const out: Record<string, string[]> = {};
  for (const date of [...dates].sort()) (out[date.slice(0, 4)] ??= []).push(date);
  return out;
};

function view(calendar: StoredCalendar, version: number, publishedAt: number | null): CalendarView {
  return {
    id: calendar.id, builtIn: publishedAt === null, version,
    publishedAt: publishedAt === null ? null : isoInZone(publishedAt, calendar.timeZone),
    ...(calendar.name ? { name: calendar.name } : {}), timeZone: calendar.timeZone,
    workingHours: calendar.workingHours as CalendarView['workingHours'],
    holidays: byYearOf(calendar.holidays ?? []), makeUpWorkdays: byYearOf(calendar.makeUpWorkdays ?? []),
    ...(calendar.makeUpHours ? { makeUpHours: calendar.makeUpHours } : {}),
  };
}

const builtInView = (id: string): CalendarView | null => (BUILT_IN_CALENDARS[id] ? view(BUILT_IN_CALENDARS[id], 1, null) : null);
const notFound = (id: string, version?: number) =>
  new Problem(404, 'not-found', version === undefined ? `No calendar ${id}` : `No version ${version} of calendar ${id}`);

export const calendarRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get('/v1/calendars', {
    schema: { tags: ['calendars'], summary: 'Built-in and custom business calendars (latest versions)', response: { 200: calendarListSchema, ...problemResponses(401, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const builtIns = Object.keys(BUILT_IN_CALENDARS).map((id) => builtInView(id)!);
    // One calendar that cannot answer (its registry unreachable) must not take the whole list down.
    const custom = await Promise.all((await listCustomCalendarIds(ctx)).map(async (id) => {
      try {
        const record = await readCustomCalendar(ctx, id);
        return record ? [view(record.content, record.version, record.publishedAt)] : [];
      } catch (err) {
        request.log.warn({ calendarId: id, err: (err as Error).message }, 'calendar left out of the list');
        return [];
      }
    }));
    return { calendars: [...builtIns, ...custom.flat()] };
  });

  app.get('/v1/calendars/:id', {
    schema: { tags: ['calendars'], summary: 'A calendar (latest version)', params: calendarIdParams, response: { 200: calendarViewSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const { id } = request.params;
    const builtIn = builtInView(id);
    if (builtIn) return builtIn;
    const record = await readCustomCalendar(ctx, id);
    if (!record) throw notFound(id);
    return view(record.content, record.version, record.publishedAt);
  });

  app.get('/v1/calendars/:id/versions', {
    schema: { tags: ['calendars'], summary: 'Every version of a calendar', params: calendarIdParams, response: { 200: calendarVersionsSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const { id } = request.params;
    if (BUILT_IN_CALENDARS[id]) return { id, versions: [{ version: 1, publishedAt: null, publishedBy: 'built-in' }] };
    const [versions, latest] = await Promise.all([listCalendarVersions(ctx, id), readCustomCalendar(ctx, id)]);
    if (!versions || versions.length === 0 || !latest) throw notFound(id);
    const zone = latest.content.timeZone;
    return { id, versions: versions.map((v) => ({ version: v.version, publishedAt: isoInZone(v.publishedAt, zone), publishedBy: v.publishedBy })) };
  });

  app.get('/v1/calendars/:id/versions/:v', {
    schema: { tags: ['calendars'], summary: 'One version of a calendar (the one a policy pinned, say)', params: calendarVersionParams, response: { 200: calendarViewSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const { id, v } = request.params;
    const builtIn = builtInView(id);
    if (builtIn) {
      if (v !== 1) throw notFound(id, v);
      return builtIn;
    }
    const record = await readCustomCalendar(ctx, id, v);
    if (!record) throw notFound(id, v);
    return view(record.content, record.version, record.publishedAt);
  });

  app.put('/v1/calendars/:id', {
    schema: {
      tags: ['calendars'], summary: 'Publish a new version of a custom calendar (admin)',
      description: 'Identical content publishes nothing (200 with the existing version); new content → 201. A built-in id → 409.',
      params: calendarIdParams, headers: idempotencyHeaders, body: calendarBodySchema,
      response: { 200: calendarViewSchema, 201: calendarViewSchema, ...problemResponses(400, 401, 403, 409, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const { id } = request.params;
    requireRole(key, ['admin'], 'publish calendars');
    const reserved = reservedCalendar(id);
    if (reserved) throw new Problem(409, 'conflict', reserved);
    const { calendar, problems } = calendarFromBody(id, request.body);
    if (problems.length > 0) throw new Problem(400, 'invalid-request', `Invalid calendar: ${problems.join('; ')}`, { problems });

    const requestFingerprint = fingerprint(request.body);
    const updateId = updateIdFor(key.id, `PUT /v1/calendars/${id}`, request.headers['idempotency-key']);
    const result = await publishCalendar(ctx, calendar, key.id, requestFingerprint, updateId);
    if (result.fingerprint !== requestFingerprint) throw keyReused('calendar');
    if (result.created) reply.code(201).header('location', `/v1/calendars/${id}/versions/${result.record.version}`);
    return view(result.record.content, result.record.version, result.record.publishedAt);
  });
};
