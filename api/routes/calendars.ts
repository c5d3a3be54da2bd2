/**
 * `/v1/calendars`: business calendars (time zone, weekly working hours, statutory holidays and 调休
 * make-up workdays per year). Custom calendars are versioned documents that only admins publish; a policy
 * that names one carries the version current when it was published. Statutory years are published one at
 * a time (`PUT /v1/calendars/{id}/years/{year}`), built-ins included; a published year is never rewritten
 * that way (409), and running cases counting through a year they lacked learn it and re-time.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BUILT_IN_CALENDARS } from '../../workflows/domain/clock';
import { publishedYears } from '../../workflows/domain/clock/year-coverage';
import { requireRole } from '../auth';
import {
  YearAlreadyPublished, calendarFromBody, isBuiltInCalendar, listCalendarVersions, listCustomCalendarIds, publishCalendar, publishCalendarYear,
  readCalendar, readCustomCalendar, reservedCalendar, yearsRefusedFor, type StoredCalendar,
} from '../calendar-store';
import { callerKey, type ApiContext } from '../context';
import { fingerprint, idempotencyHeaders, keyReused, updateIdFor } from '../idempotency';
import { Problem } from '../problems';
import { isoInZone } from '../render';
import {
  calendarBodySchema, calendarIdParams, calendarListSchema, calendarVersionParams, calendarVersionsSchema, calendarViewSchema, calendarYearBodySchema,
  calendarYearParams, type CalendarView,
} from '../schemas/calendar';
import { problemResponses } from '../schemas/shared';

/** Dates grouped by year; every published year has its key, an empty list included. */
const byYearOf = (dates: readonly string[], years: number[] | 'every') => {
  const out: Record<string, string[]> = Object.fromEntries((years === 'every' ? [] : years).map((y) => [String(y), []]));
  for (const date of [...dates].sort()) (out[date.slice(0, 4)] ??= []).push(date);
  return out;
};

/** `publishedAt` null: the built-in version written in the code. */
function view(calendar: StoredCalendar, version: number, publishedAt: number | null): CalendarView {
  const years = publishedYears(calendar);
  return {
    id: calendar.id, builtIn: isBuiltInCalendar(calendar.id), version,
    publishedAt: publishedAt === null ? null : isoInZone(publishedAt, calendar.timeZone),
    ...(calendar.name ? { name: calendar.name } : {}), timeZone: calendar.timeZone,
    workingHours: calendar.workingHours as CalendarView['workingHours'],
    holidays: byYearOf(calendar.holidays ?? [], years), makeUpWorkdays: byYearOf(calendar.makeUpWorkdays ?? [], years),
    ...(calendar.makeUpHours ? { makeUpHours: calendar.makeUpHours } : {}),
    ...(years !== 'every' ? { years } : {}),
  };
}

const recordView = (r: { content: StoredCalendar; version: number; publishedAt: number; publishedBy: string }) =>
  view(r.content, r.version, r.publishedBy === 'built-in' ? null : r.publishedAt);
const notFound = (id: string, version?: number) =>
  new Problem(404, 'not-found', version === undefined ? `No calendar ${id}` : `No version ${version} of calendar ${id}`);

export const calendarRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get('/v1/calendars', {
    schema: { tags: ['calendars'], summary: 'Built-in and custom business calendars (latest versions)', response: { 200: calendarListSchema, ...problemResponses(401, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    // One calendar that cannot answer (its registry unreachable) must not take the whole list down; a
    // built-in then shows the years written in the code.
    const read = async (id: string) => {
      try {
        const record = await readCalendar(ctx, id);
        return record ? [recordView(record)] : [];
      } catch (err) {
        request.log.warn({ calendarId: id, err: (err as Error).message }, 'calendar left out of the list');
        return isBuiltInCalendar(id) ? [view(BUILT_IN_CALENDARS[id], 1, null)] : [];
      }
    };
    const ids = [...Object.keys(BUILT_IN_CALENDARS), ...await listCustomCalendarIds(ctx)];
    return { calendars: (await Promise.all(ids.map(read))).flat() };
  });

  app.get('/v1/calendars/:id', {
    schema: { tags: ['calendars'], summary: 'A calendar (latest version)', params: calendarIdParams, response: { 200: calendarViewSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const { id } = request.params;
    const record = await readCalendar(ctx, id);
    if (!record) throw notFound(id);
    return recordView(record);
  });

  app.get('/v1/calendars/:id/versions', {
    schema: { tags: ['calendars'], summary: 'Every version of a calendar', params: calendarIdParams, response: { 200: calendarVersionsSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const { id } = request.params;
    const builtInOnly = [{ version: 1, publishedAt: 0, publishedBy: 'built-in' }];
    const [listed, latest] = await Promise.all([listCalendarVersions(ctx, id), readCalendar(ctx, id)]);
    const versions = listed && listed.length > 0 ? listed : isBuiltInCalendar(id) ? builtInOnly : null;
    if (!versions || !latest) throw notFound(id);
    const zone = latest.content.timeZone;
    return {
      id,
      versions: versions.map((v) => ({ version: v.version, publishedAt: v.publishedBy === 'built-in' ? null : isoInZone(v.publishedAt, zone), publishedBy: v.publishedBy })),
    };
  });

  app.get('/v1/calendars/:id/versions/:v', {
    schema: { tags: ['calendars'], summary: 'One version of a calendar (the one a policy pinned, say)', params: calendarVersionParams, response: { 200: calendarViewSchema, ...problemResponses(400, 401, 404, 429, 503) } },
  }, async (request) => {
    callerKey(request);
    const { id, v } = request.params;
    const record = isBuiltInCalendar(id) ? await readCalendar(ctx, id, v) : await readCustomCalendar(ctx, id, v);
    if (!record) throw notFound(id, v);
    return recordView(record);
  });

  app.put('/v1/calendars/:id', {
    schema: {
      tags: ['calendars'], summary: 'Publish a new version of a custom calendar (admin)',
      description: 'Identical content publishes nothing (200 with the existing version); new content → 201. A built-in id → 409: publish its years with PUT /v1/calendars/{id}/years/{year}.',
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

  app.put('/v1/calendars/:id/years/:year', {
    schema: {
      tags: ['calendars'], summary: "Publish one year's statutory holidays and make-up workdays of a calendar, built-ins included (admin)",
      description: 'A new version: the latest with that year added → 201. The same dates for a year already published → 200, nothing new. '
        + 'Other dates for a year already published → 409: a published year is not rewritten (built-ins: by a release; custom calendars: '
        + 'PUT the whole calendar). A built-in without holidays (24x7, jd-evidence) or a preset\'s calendar → 409. Running cases whose deadlines '
        + 'count through the year learn it and re-time; a policy naming a custom calendar keeps its pinned version otherwise.',
      params: calendarYearParams, headers: idempotencyHeaders, body: calendarYearBodySchema,
      response: { 200: calendarViewSchema, 201: calendarViewSchema, ...problemResponses(400, 401, 403, 404, 409, 413, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const key = callerKey(request);
    const { id, year } = request.params;
    requireRole(key, ['admin'], 'publish calendar years');
    const refused = yearsRefusedFor(id);
    if (refused) throw new Problem(409, 'conflict', refused);
    const entry = { year, holidays: [...request.body.holidays].sort(), makeUpWorkdays: [...request.body.makeUpWorkdays].sort() };
    const misfiled = [...entry.holidays.map((d) => ['holidays', d]), ...entry.makeUpWorkdays.map((d) => ['makeUpWorkdays', d])]
      .filter(([, date]) => !date.startsWith(`${year}-`)).map(([field, date]) => `${field} lists ${date}, a date of another year`);
    if (misfiled.length > 0) throw new Problem(400, 'invalid-request', `Invalid year: ${misfiled.join('; ')}`, { problems: misfiled });

    const requestFingerprint = fingerprint(request.body);
    const updateId = updateIdFor(key.id, `PUT /v1/calendars/${id}/years/${year}`, request.headers['idempotency-key']);
    let result;
    try {
      result = await publishCalendarYear(ctx, id, entry, key.id, requestFingerprint, updateId);
    } catch (err) {
      if (err instanceof YearAlreadyPublished) throw new Problem(409, 'conflict', err.message, { year, published: err.published });
      throw err;
    }
    if (!result) throw notFound(id);
    if (result.fingerprint !== requestFingerprint) throw keyReused('calendar year');
    if (result.created) {
      request.log.info({ calendarId: id, year, version: result.record.version }, 'calendar year published');
      reply.code(201).header('location', `/v1/calendars/${id}/versions/${result.record.version}`);
    }
    return recordView(result.record);
  });
};
