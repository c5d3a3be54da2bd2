/**
 * Idempotency ids: a create's case id and an action's update id are deterministic per (API key, route,
 * Idempotency-Key), differ when any of them differs, and never contain the raw key; fingerprints ignore
 * key order but not content.
 */
import { describe, expect, it } from 'vitest';
import { caseIdFor, fingerprint, updateIdFor } from '../../../api/idempotency';
import { kindOfCaseId } from '../../../workflows/domain/case-ids';

describe('caseIdFor', () => {
  const route = 'POST /v1/after-sales';

  it('is the same for every retry and carries the kind prefix', () => {
    const id = caseIdFor('after_sale', 'dev-channel', route, 'order-1001-refund');
    expect(id).toBe(caseIdFor('after_sale', 'dev-channel', route, 'order-1001-refund'));
    expect(id).toMatch(/^as_[0-9a-f]{32}$/);
    expect(kindOfCaseId(id)).toBe('after_sale');
    expect(caseIdFor('complaint', 'dev-channel', 'POST /v1/complaints', 'k')).toMatch(/^cp_/);
  });

  it('is scoped to the API key, the route and the key', () => {
    const base = caseIdFor('after_sale', 'dev-channel', route, 'k-1');
    expect(caseIdFor('after_sale', 'dev-agent', route, 'k-1')).not.toBe(base);
    expect(caseIdFor('after_sale', 'dev-channel', 'POST /v1/other', 'k-1')).not.toBe(base);
    expect(caseIdFor('after_sale', 'dev-channel', route, 'k-2')).not.toBe(base);
  });

  it('never contains the raw key, and separates fields so they cannot be shifted into each other', () => {
    expect(caseIdFor('after_sale', 'dev-channel', route, 'customer-13800138000')).not.toContain('13800138000');
    expect(caseIdFor('after_sale', 'a', 'b\nc', 'd')).toBe(caseIdFor('after_sale', 'a\nb', 'c', 'd'));
    // ...which is why routes and key ids never contain newlines: the header check refuses them in keys.
    expect(() => caseIdFor('after_sale', 'a', route, 'bad\nkey')).toThrow();
    expect(() => caseIdFor('after_sale', 'a', route, 'x'.repeat(256))).toThrow();
  });
});

describe('updateIdFor', () => {
  it('is deterministic per key id, route and Idempotency-Key', () => {
    const route = 'POST /v1/after-sales/as_0123/actions/approve';
    const id = updateIdFor('dev-merchant-a', route, 'k');
    expect(id).toBe(updateIdFor('dev-merchant-a', route, 'k'));
    expect(id).toMatch(/^upd_[0-9a-f]{64}$/);
    expect(updateIdFor('dev-merchant-a', 'POST /v1/after-sales/as_0123/actions/reject', 'k')).not.toBe(id);
    expect(updateIdFor('dev-merchant-b', route, 'k')).not.toBe(id);
  });
});

describe('fingerprint', () => {
  it('ignores key order at every depth and undefined members', () => {
    expect(fingerprint({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(fingerprint({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }));
  });

  it('changes with content, array order and types', () => {
    const base = fingerprint({ amount: 100, items: [1, 2] });
    expect(fingerprint({ amount: 101, items: [1, 2] })).not.toBe(base);
    expect(fingerprint({ amount: 100, items: [2, 1] })).not.toBe(base);
    expect(fingerprint({ amount: '100', items: [1, 2] })).not.toBe(base);
    expect(fingerprint(undefined)).toBe(fingerprint(null));
    expect(fingerprint({})).not.toBe(fingerprint(null));
  });
});
