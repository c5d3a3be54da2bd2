/**
 * The topology scripts shared by docker-compose.yml's admin jobs and the test topology: the search
 * attributes the setup script registers are exactly CASE_SEARCH_ATTRIBUTES, the certificates make-certs.sh
 * issues verify for the names asked, and the scripts refuse a wrong setup clearly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASE_SEARCH_ATTRIBUTES, cliSearchAttributePairs } from '../../../scripts/lib/search-attributes';

const scripts = path.resolve(__dirname, '..', '..', '..', 'scripts', 'topology');

describe('temporal-setup.sh', () => {
  const source = readFileSync(path.join(scripts, 'temporal-setup.sh'), 'utf8');

  it('registers exactly the search attributes of CASE_SEARCH_ATTRIBUTES, with their types', () => {
    const line = /^SEARCH_ATTRIBUTES="([^"]*)"$/m.exec(source);
    expect(line, 'a SEARCH_ATTRIBUTES="Name=Type …" line').not.toBeNull();
    const pairs = line![1].trim().split(/\s+/);
    expect(pairs).toEqual(cliSearchAttributePairs(CASE_SEARCH_ATTRIBUTES));
    expect(pairs).toHaveLength(12);
  });

  it('keeps closed cases 30 days by default', () => {
    expect(source).toMatch(/retention=\$\{TEMPORAL_RETENTION:-720h\}/);
  });
});

describe.each(['temporal-schema.sh', 'temporal-setup.sh', 'make-certs.sh'])('%s', (script) => {
  it('is valid POSIX sh', () => {
    expect(() => execFileSync('sh', ['-n', path.join(scripts, script)])).not.toThrow();
  });
});

describe('temporal-schema.sh', () => {
  it('refuses to run without the schema folder, naming the variable to set', () => {
    const result = spawnSync('sh', [path.join(scripts, 'temporal-schema.sh')], {
      env: { PATH: process.env.PATH, SQL_PASSWORD: 'x', TEMPORAL_SCHEMA_DIR: path.join(os.tmpdir(), 'no-such-schema-folder') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/TEMPORAL_SCHEMA_DIR/);
  });

  it('refuses to run without a password', () => {
    const result = spawnSync('sh', [path.join(scripts, 'temporal-schema.sh')], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/SQL_PASSWORD/);
  });
});

describe('make-certs.sh', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-cases-certs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

  it('issues a CA, a server certificate for the names asked and a client certificate, keys private by default', () => {
    execFileSync('sh', [path.join(scripts, 'make-certs.sh'), dir, 'temporal', '10.1.2.3']);
    const ca = path.join(dir, 'ca.pem');
    expect(openssl('verify', '-CAfile', ca, path.join(dir, 'server.pem'), path.join(dir, 'client.pem'))).toMatch(/server\.pem: OK[\s\S]*client\.pem: OK/);
    const server = openssl('x509', '-in', path.join(dir, 'server.pem'), '-noout', '-ext', 'subjectAltName,extendedKeyUsage');
    expect(server).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1, DNS:temporal, IP Address:10\.1\.2\.3/);
    // The server certificate is also the system worker's client certificate towards the frontend.
    expect(server).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    const client = openssl('x509', '-in', path.join(dir, 'client.pem'), '-noout', '-ext', 'extendedKeyUsage');
    expect(client).toMatch(/TLS Web Client Authentication/);
    expect(client).not.toMatch(/Server Authentication/);
    for (const key of ['ca.key', 'server.key', 'client.key']) expect(statSync(path.join(dir, key)).mode & 0o777).toBe(0o600);
  });

  it('keeps existing certificates on a second run', () => {
    const before = readFileSync(path.join(dir, 'server.pem'), 'utf8');
    const output = execFileSync('sh', [path.join(scripts, 'make-certs.sh'), dir, 'temporal'], { encoding: 'utf8' });
    expect(output).toMatch(/already/);
    expect(readFileSync(path.join(dir, 'server.pem'), 'utf8')).toBe(before);
  });
});
