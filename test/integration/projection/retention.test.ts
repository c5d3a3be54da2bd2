/**
 * Record retention in the projection (E-commerce Law art. 31: three years): a closed case's record is kept
 * for the retention after its close and purged after it; a case still open, or reopened, is never purged.
 */
import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseProjection, type CaseProjection } from '../../../activities/projection';
import { developmentKeyring, encryptedDataConverter } from '../../../worker/encryption';
import type { CaseSnapshotHandOff } from '../../../workflows/case-runtime';
import { freshProjectionDatabase } from '../../support/projection';

const DAY = 86_400_000;
const CLOSED_AT = Date.parse('2026-11-27T10:00:00+08:00');
let projection: CaseProjection;
let databaseUrl: string;

function snapshot(caseId: string, status: string, revision: number): CaseSnapshotHandOff {
  const timeline = [{ at: CLOSED_AT - DAY, type: 'case.created', actor: 'channel' }, ...(status === 'closed' ? [{ at: CLOSED_AT, type: 'case.closed', actor: 'system' }] : [])];
  return {
    revision, finished: false, allowedActions: { channel: [], merchant: [], agent: [], supervisor: [], arbiter: [], admin: [] },
    view: { id: caseId, kind: 'after_sale', merchantId: 'm-a', status, outcome: status === 'closed' ? 'refunded' : null, createdAt: CLOSED_AT - DAY, timeline, deadlines: [], timeZone: 'Asia/Shanghai' },
    visibility: { kind: 'after_sale', status, outcome: status === 'closed' ? 'refunded' : null, owner: null, escalationLevel: 1, deadlines: [] },
  };
}

const record = (caseId: string, status: string, revision: number) =>
  projection.record({ caseId, kind: 'after_sale', merchantId: 'm-a', timeZone: 'Asia/Shanghai', snapshot: snapshot(caseId, status, revision) });

beforeAll(async () => {
  databaseUrl = await freshProjectionDatabase('retention');
  projection = await openCaseProjection({ databaseUrl, codecs: encryptedDataConverter(developmentKeyring()).payloadCodecs ?? [] });
});
afterAll(async () => projection?.close());

describe('record retention', () => {
  it('keeps a closed case three years by default, purges it after, and never purges an open or reopened one', async () => {
    await record('as_closed', 'closed', 3);
    await record('as_open', 'awaiting_merchant', 1);
    await record('as_reopened', 'closed', 2);
    await record('as_reopened', 'awaiting_merchant', 3);

    // Two years and eleven months after the close: everything stays.
    expect(await projection.purgeExpired(CLOSED_AT + 1_065 * DAY)).toBe(0);
    expect(await projection.read('as_closed')).not.toBeNull();
    // Past three years (1,098 days, leap day included): only the closed case goes.
    expect(await projection.purgeExpired(CLOSED_AT + 1_100 * DAY)).toBe(1);
    expect(await projection.read('as_closed')).toBeNull();
    expect(await projection.read('as_open')).not.toBeNull();
    expect((await projection.read('as_reopened'))?.revision).toBe(3);
  });

  it('takes a shorter or longer retention as a setting', async () => {
    const short = await openCaseProjection({
      databaseUrl: await freshProjectionDatabase('retention-short'), codecs: encryptedDataConverter(developmentKeyring()).payloadCodecs ?? [], recordRetentionMs: 30 * DAY,
    });
    try {
      await short.record({ caseId: 'as_short', kind: 'after_sale', merchantId: 'm-a', timeZone: 'Asia/Shanghai', snapshot: snapshot('as_short', 'closed', 1) });
      expect(await short.purgeExpired(CLOSED_AT + 29 * DAY)).toBe(0);
      expect(await short.purgeExpired(CLOSED_AT + 31 * DAY)).toBe(1);
    } finally {
      await short.close();
    }
  });

  it('stores the view sealed: no customer data in clear in the database', async () => {
    await projection.record({
      caseId: 'as_sealed', kind: 'after_sale', merchantId: 'm-a', timeZone: 'Asia/Shanghai',
      snapshot: { ...snapshot('as_sealed', 'awaiting_merchant', 1), view: { ...snapshot('as_sealed', 'awaiting_merchant', 1).view as object, customerRef: 'cust-secret-7f3a', description: 'sole came off' } },
    });
    const raw = await rawView('as_sealed');
    expect(raw).not.toContain('cust-secret-7f3a');
    expect(raw).not.toContain('sole came off');
    expect((await projection.read('as_sealed'))?.view).toMatchObject({ customerRef: 'cust-secret-7f3a', description: 'sole came off' });
  });
});

/** The view column as the database holds it, read with a client of the test's own. */
async function rawView(caseId: string): Promise<string> {
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ view: string }>('SELECT view FROM cases WHERE case_id = $1', [caseId]);
    return rows[0]?.view ?? '';
  } finally {
    await client.end();
  }
}
