/**
 * The codec's OpenID Connect rules that need no provider: which staff roles a token's claims map to (dot
 * paths, array and string claims, namespaced claim names), which bearer credentials count as JWTs, and the
 * start-up errors for a bad CODEC_OIDC_* configuration.
 */
import { describe, expect, it } from 'vitest';
import { claimValues, codecAuthFrom, looksLikeJwt, rolesFromClaims } from '../../../api/codec-auth';
import type { Role } from '../../../workflows/domain/case';

const roleMap: Record<string, Role> = { 'cs-supervisors': 'supervisor', 'cs-agents': 'agent', 'cs-arbiters': 'arbiter', 'seller-desk': 'merchant' };

describe('claim path and role map', () => {
  it.each<[string, Record<string, unknown>, string, string[], Role[]]>([
    ['array claim at the top', { roles: ['cs-supervisors', 'other'] }, 'roles', ['cs-supervisors', 'other'], ['supervisor']],
    ['string claim is one value', { roles: 'cs-agents' }, 'roles', ['cs-agents'], ['agent']],
    ['nested claim (Keycloak realm roles)', { realm_access: { roles: ['offline_access', 'cs-arbiters'] } }, 'realm_access.roles', ['offline_access', 'cs-arbiters'], ['arbiter']],
    ['deeper nesting', { resource_access: { 'cs-ui': { roles: ['cs-agents'] } } }, 'resource_access.cs-ui.roles', ['cs-agents'], ['agent']],
    ['claim name with dots (namespaced)', { 'https://corp.example/groups': ['cs-supervisors'] }, 'https://corp.example/groups', ['cs-supervisors'], ['supervisor']],
    ['namespaced name inside an object', { ext: { 'corp.roles': 'cs-agents' } }, 'ext.corp.roles', ['cs-agents'], ['agent']],
    ['several values, each role once, in claim order', { groups: ['cs-agents', 'cs-supervisors', 'cs-agents'] }, 'groups', ['cs-agents', 'cs-supervisors', 'cs-agents'], ['agent', 'supervisor']],
    ['non-string elements ignored', { roles: ['cs-agents', 7, null, { name: 'cs-supervisors' }] }, 'roles', ['cs-agents'], ['agent']],
    ['missing claim', { sub: 'u1' }, 'roles', [], []],
    ['path through a non-object', { realm_access: 'cs-agents' }, 'realm_access.roles', [], []],
    ['number claim', { roles: 3 }, 'roles', [], []],
    ['unmapped values only', { roles: ['admins', 'everyone'] }, 'roles', ['admins', 'everyone'], []],
    ['merchant staff map to merchant, not staff', { roles: ['seller-desk'] }, 'roles', ['seller-desk'], ['merchant']],
    ['inherited property names are not claims', { roles: ['constructor', 'toString'] }, 'roles', ['constructor', 'toString'], []],
    ['case matters', { roles: ['CS-SUPERVISORS'] }, 'roles', ['CS-SUPERVISORS'], []],
  ])('%s', (_name, claims, path, values, roles) => {
    expect(claimValues(claims, path)).toEqual(values);
    expect(rolesFromClaims(claims, { rolesClaim: path, roleMap })).toEqual(roles);
  });
});

describe('JWT or API key', () => {
  it('three base64url parts are a JWT; API key secrets and anything else are not', () => {
    expect(looksLikeJwt('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln-_')).toBe(true);
    for (const token of ['dev-supervisor', 'a.b', 'a.b.c.d', 'a..c', 'a.b.c=', 'a.b/c.d', `a.b.${'x'.repeat(20_000)}`]) expect(looksLikeJwt(token), token).toBe(false);
  });
});

describe('codecAuthFrom', () => {
  const good = { CODEC_OIDC_ISSUER: 'https://id.corp.example/realms/staff', CODEC_OIDC_AUDIENCE: 'cs-codec', CODEC_OIDC_ROLE_MAP: JSON.stringify({ 'cs-supervisors': 'supervisor' }) };

  it('is off without an issuer, and reads a full configuration with its defaults', () => {
    expect(codecAuthFrom({})).toBeUndefined();
    expect(codecAuthFrom(good)).toEqual({
      issuer: 'https://id.corp.example/realms/staff', audience: ['cs-codec'], rolesClaim: 'roles', roleMap: { 'cs-supervisors': 'supervisor' },
      algorithms: expect.arrayContaining(['RS256', 'ES256', 'EdDSA']), clockToleranceSeconds: 30,
    });
    const full = codecAuthFrom({ ...good, CODEC_OIDC_AUDIENCE: 'cs-codec, account', CODEC_OIDC_JWKS_URL: 'https://id.corp.example/certs', CODEC_OIDC_ROLES_CLAIM: 'realm_access.roles', CODEC_OIDC_ALGORITHMS: 'RS256' });
    expect(full).toMatchObject({ audience: ['cs-codec', 'account'], jwksUrl: 'https://id.corp.example/certs', rolesClaim: 'realm_access.roles', algorithms: ['RS256'] });
    expect(codecAuthFrom({ ...good, CODEC_OIDC_ISSUER: 'http://127.0.0.1:8080/realms/staff' })?.issuer).toBe('http://127.0.0.1:8080/realms/staff');
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['issuer without audience', { ...good, CODEC_OIDC_AUDIENCE: '' }, /CODEC_OIDC_AUDIENCE/],
    ['audience without issuer', { CODEC_OIDC_AUDIENCE: 'cs-codec' }, /without CODEC_OIDC_ISSUER/],
    ['issuer not a URL', { ...good, CODEC_OIDC_ISSUER: 'corp-idp' }, /CODEC_OIDC_ISSUER must be an absolute URL/],
    ['plain http off loopback', { ...good, CODEC_OIDC_ISSUER: 'http://id.corp.example' }, /CODEC_OIDC_ISSUER must be an https/],
    ['plain http JWKS off loopback', { ...good, CODEC_OIDC_JWKS_URL: 'http://id.corp.example/certs' }, /CODEC_OIDC_JWKS_URL must be an https/],
    ['role map missing', { ...good, CODEC_OIDC_ROLE_MAP: '' }, /CODEC_OIDC_ROLE_MAP/],
    ['role map bad JSON', { ...good, CODEC_OIDC_ROLE_MAP: '{cs-supervisors: supervisor}' }, /CODEC_OIDC_ROLE_MAP is not valid JSON/],
    ['role map an array', { ...good, CODEC_OIDC_ROLE_MAP: '["supervisor"]' }, /must be a JSON object/],
    ['role map with an unknown role', { ...good, CODEC_OIDC_ROLE_MAP: '{"cs-leads":"team-lead"}' }, /unknown role "team-lead"/],
    ['role map empty', { ...good, CODEC_OIDC_ROLE_MAP: '{}' }, /CODEC_OIDC_ROLE_MAP is empty/],
    ['claim path with an empty segment', { ...good, CODEC_OIDC_ROLES_CLAIM: 'realm_access..roles' }, /CODEC_OIDC_ROLES_CLAIM/],
    ['shared-secret or none algorithm', { ...good, CODEC_OIDC_ALGORITHMS: 'RS256,HS256,none' }, /refused: HS256, none/],
  ])('refuses %s at start-up', (_name, env, message) => {
    expect(() => codecAuthFrom(env)).toThrow(message);
  });
});
