/** Parts of a case view every kind shares, as rendered at the edge (times as ISO-8601 with offset). */
import { z } from 'zod';
import { CASE_KINDS, DEADLINE_STATES, ON_TIMEOUT, ROLES, TIERS } from '../../workflows/domain/case';

export const actorRoleSchema = z.enum([...ROLES, 'system']);

/** Why a deadline's due time may still move: it counts through a year its calendar has not published. */
export const deadlineWarningsSchema = z.array(z.object({
  code: z.literal('calendar-year-not-published'),
  calendarId: z.string(),
  year: z.number().int(),
})).optional().describe('Only while active. calendar-year-not-published: the deadline counts through a year whose holidays and make-up workdays '
  + 'are not published yet; it is re-timed when the year is published (PUT /v1/calendars/{id}/years/{year})');

export const caseViewParts = {
  policy: z.object({ id: z.string(), version: z.number().int() }),
  owner: z.object({ role: actorRoleSchema, tier: z.enum(TIERS), assignee: z.string().optional() }).nullable().describe('Exactly one owner while open; null when closed'),
  escalationLevel: z.number().int(),
  deadlines: z.array(z.object({
    name: z.string(), dueAt: z.string(), actor: actorRoleSchema, onTimeout: z.enum(ON_TIMEOUT), state: z.enum(DEADLINE_STATES), warnedAt: z.string().optional(),
    warnings: deadlineWarningsSchema,
  })),
  timeline: z.array(z.object({
    at: z.string(), type: z.string(), actor: actorRoleSchema, actorRef: z.string().optional(), data: z.record(z.string(), z.unknown()).optional(),
  })),
  links: z.array(z.object({ id: z.string(), kind: z.enum(CASE_KINDS), relation: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  timeZone: z.string().describe('IANA zone of the case calendar; every time above carries its offset'),
};
