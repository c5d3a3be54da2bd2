/** Journey links: the link a new case records to the case it is about, and links added once by notice. */
import { describe, expect, it } from 'vitest';
import { addCaseLink, relatedLinkOf } from '../../../workflows/domain/case-links';

const HEX = '0123456789abcdef0123456789abcdef';

describe('relatedLinkOf', () => {
  it.each([
    [`iq_${HEX}`, { id: `iq_${HEX}`, kind: 'inquiry', relation: 'related' }],
    [`oi_${HEX}`, { id: `oi_${HEX}`, kind: 'order_issue', relation: 'related' }],
    [`as_${HEX}`, { id: `as_${HEX}`, kind: 'after_sale', relation: 'related' }],
    [`cp_${HEX}`, { id: `cp_${HEX}`, kind: 'complaint', relation: 'related' }],
    [undefined, null],
    ['', null],
    [`xx_${HEX}`, null],
    ['as_short', null],
    [`AS_${HEX}`, null],
  ])('%s → %j', (id, link) => {
    expect(relatedLinkOf(id)).toEqual(link);
  });

  it('keeps a named relation', () => {
    expect(relatedLinkOf(`as_${HEX}`, 'recovery_of')).toMatchObject({ relation: 'recovery_of' });
  });
});

describe('addCaseLink', () => {
  const base = () => ({ links: [{ id: `iq_${HEX}`, kind: 'inquiry' as const, relation: 'related' }], timeline: [], revision: 3, updatedAt: 1_000 });
  const notice = { id: `cp_${HEX}`, kind: 'complaint' as const, relation: 'follow_up', at: 2_000 };

  it('adds the link with a timeline entry and a new revision, leaving the input untouched', () => {
    const before = base();
    const after = addCaseLink(before, notice, 2_000);
    expect(after.links).toEqual([...before.links, { id: notice.id, kind: 'complaint', relation: 'follow_up' }]);
    expect(after.timeline).toEqual([{ at: 2_000, type: 'case.linked', actor: 'system', data: { caseId: notice.id, kind: 'complaint', relation: 'follow_up' } }]);
    expect(after).toMatchObject({ revision: 4, updatedAt: 2_000 });
    expect(before).toEqual(base());
  });

  it('a repeated notice (signals may arrive twice) or an already linked id changes nothing', () => {
    const once = addCaseLink(base(), notice, 2_000);
    expect(addCaseLink(once, notice, 3_000)).toBe(once);
    const already = base();
    expect(addCaseLink(already, { ...notice, id: `iq_${HEX}` }, 2_000)).toBe(already);
  });

  it('never moves updatedAt backwards', () => {
    expect(addCaseLink(base(), notice, 500).updatedAt).toBe(1_000);
  });
});
