/**
 * The production compose file is valid and has the production shape: PostgreSQL, Temporal with schema and
 * namespace jobs, the UI on the codec endpoint with write actions off, worker and API.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../support/debian-packages';

const root = path.resolve(__dirname, '..', '..');
const env = {
  ...process.env, PAYMENT_GATEWAY_URL: 'https://payments.invalid/', PAYMENT_GATEWAY_SECRET: 'x', NOTIFICATIONS_URL: 'https://notify.invalid/', NOTIFICATIONS_SECRET: 'y',
  LOGISTICS_URL: 'https://logistics.invalid/', LOGISTICS_SECRET: 'z', ORDERS_URL: 'https://orders.invalid/', ORDERS_SECRET: 'w',
  API_KEYS_FILE: 'package.json', ENCRYPTION_KEYS_FILE: 'package.json', WEBHOOKS_FILE: 'package.json',
};

function compose(...args: string[]): string {
  return execFileSync('docker-compose', ['-f', 'docker-compose.yml', ...args], { cwd: root, env, encoding: 'utf8' });
}

describe('docker-compose.yml', () => {
  beforeAll(() => ensureDebianPackage('docker-compose'), 900_000);

  it('validates', () => {
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('has every production service', () => {
    const services = compose('config', '--services').trim().split('\n').sort();
    expect(services).toEqual(['api', 'postgresql', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker'].sort());
  });

  it('keeps closed cases 30 days, registers the search attributes and disables UI write actions', () => {
    const config = compose('config');
    expect(config).toMatch(/--retention 720h/);
    for (const name of ['CaseKind', 'CaseStatus', 'EscalationLevel', 'SlaBreached', 'NextDeadline', 'MerchantId']) expect(config).toContain(name);
    expect(config).toMatch(/TEMPORAL_DISABLE_WRITE_ACTIONS: ['"]?true/);
    expect(config).toMatch(/NODE_ENV: production/);
    expect(config).toMatch(/TEMPORAL_CODEC_ENDPOINT: \S+\/codec/);
    expect(config).toMatch(/CASES_ENCRYPTION_KEYS_FILE/);
  });

  it.each(['PAYMENT_GATEWAY_URL', 'NOTIFICATIONS_URL', 'LOGISTICS_URL', 'ORDERS_URL'])('refuses to start the worker without %s (a real external system)', (name) => {
    const bare = { ...env };
    delete (bare as Record<string, string | undefined>)[name];
    expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, env: bare, stdio: 'pipe' })).toThrow(new RegExp(name));
  });
});
