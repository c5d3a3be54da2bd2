/**
 * The production compose file is valid and has the production shape: pinned images; PostgreSQL; Temporal
 * with mTLS on its frontend and every Temporal client holding a client certificate; admin jobs running the
 * mounted topology scripts the test suite runs too; the UI signing in with OIDC and decoding through the
 * API's HTTPS codec endpoint with write actions off; the worker and API from the compiled build.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../support/debian-packages';

const root = path.resolve(__dirname, '..', '..');
const env = {
  ...process.env, PAYMENT_GATEWAY_URL: 'https://payments.invalid/', PAYMENT_GATEWAY_SECRET: 'x', NOTIFICATIONS_URL: 'https://notify.invalid/', NOTIFICATIONS_SECRET: 'y',
  LOGISTICS_URL: 'https://logistics.invalid/', LOGISTICS_SECRET: 'z', ORDERS_URL: 'https://orders.invalid/', ORDERS_SECRET: 'w',
  API_KEYS_FILE: 'package.json', ENCRYPTION_KEYS_FILE: 'package.json', WEBHOOKS_FILE: 'package.json',
  OIDC_ISSUER_URL: 'https://idp.invalid/', TEMPORAL_UI_OIDC_CLIENT_ID: 'temporal-ui', TEMPORAL_UI_OIDC_CLIENT_SECRET: 'ui-secret',
  CODEC_OIDC_AUDIENCE: 'cs-cases-codec', CODEC_OIDC_ROLE_MAP: '{"cs-supervisors":"supervisor"}', GRAFANA_ADMIN_PASSWORD: 'grafana-secret',
};

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  secrets?: { source: string }[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

function compose(...args: string[]): string {
  return execFileSync('docker-compose', ['-f', 'docker-compose.yml', ...args], { cwd: root, env, encoding: 'utf8' });
}

/** The resolved configuration as data (docker-compose 1.29 prints only YAML; its own python3-yaml reads it). */
function services(): Record<string, Service> {
  const yaml = compose('config');
  const json = execFileSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: yaml, encoding: 'utf8' });
  return (JSON.parse(json) as { services: Record<string, Service> }).services;
}

const TEMPORAL_CLIENTS = ['temporal-setup', 'temporal-ui', 'worker', 'api'];

describe('docker-compose.yml', () => {
  let config: Record<string, Service>;
  beforeAll(() => {
    ensureDebianPackage('docker-compose');
    config = services();
  }, 900_000);

  it('validates', () => {
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('has every production service', () => {
    expect(Object.keys(config).sort()).toEqual(['api', 'grafana', 'postgresql', 'prometheus', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker'].sort());
  });

  it('pins the images of the release the tests run', () => {
    expect(config.postgresql.image).toBe('postgres:15');
    expect(config['temporal-schema'].image).toBe('temporalio/admin-tools:1.29.1');
    expect(config.temporal.image).toBe('temporalio/server:1.29.1');
    expect(config['temporal-setup'].image).toBe('temporalio/admin-tools:1.29.1');
    expect(config['temporal-ui'].image).toBe('temporalio/ui:2.42.1');
    expect(config.worker.build).toBeDefined();
    expect(config.api.build).toBeDefined();
  });

  it('runs the admin jobs from the mounted topology scripts, with the admin-tools image paths', () => {
    for (const [job, script] of [['temporal-schema', 'temporal-schema.sh'], ['temporal-setup', 'temporal-setup.sh']]) {
      expect(config[job].entrypoint).toEqual(['sh', `/scripts/topology/${script}`]);
      expect(config[job].volumes).toContain(`${path.join(root, 'scripts', 'topology')}:/scripts/topology:ro`);
    }
    expect(config['temporal-schema'].environment).toMatchObject({
      TEMPORAL_SQL_TOOL: 'temporal-sql-tool',
      TEMPORAL_SCHEMA_DIR: '/etc/temporal/schema/postgresql/v12',
      SQL_HOST: 'postgresql',
    });
    expect(config['temporal-setup'].environment).toMatchObject({ TEMPORAL_CLI: 'temporal', TEMPORAL_NAMESPACE: 'default', TEMPORAL_RETENTION: '720h' });
    expect(config.temporal.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    for (const service of ['temporal-ui', 'worker', 'api']) {
      expect(config[service].depends_on).toEqual({ 'temporal-setup': { condition: 'service_completed_successfully' } });
    }
  });

  it('requires client certificates on the Temporal frontend (the server image template variables)', () => {
    expect(config.temporal.environment).toMatchObject({
      TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
      TEMPORAL_TLS_FRONTEND_CERT: '/certs/server.pem',
      TEMPORAL_TLS_FRONTEND_KEY: '/certs/server.key',
      TEMPORAL_TLS_CLIENT1_CA_CERT: '/certs/ca.pem',
      TEMPORAL_TLS_SERVER_CERT: '/certs/server.pem',
      TEMPORAL_TLS_SERVER_KEY: '/certs/server.key',
      TEMPORAL_TLS_SERVER_CA_CERT: '/certs/ca.pem',
      TEMPORAL_TLS_FRONTEND_SERVER_NAME: 'temporal',
      TEMPORAL_TLS_INTERNODE_SERVER_NAME: 'temporal',
    });
    // A host name is no broadcast address (ringpop wants an IP); the image's entrypoint sets the container's.
    expect(config.temporal.environment?.TEMPORAL_BROADCAST_ADDRESS).toBeUndefined();
  });

  it.each(['temporal', ...TEMPORAL_CLIENTS])('mounts the certificates read-only into %s', (service) => {
    expect(config[service].volumes).toContain(`${path.join(root, 'certs')}:/certs:ro`);
  });

  it.each(['temporal-setup', 'worker', 'api'])('gives %s a client certificate for the frontend', (service) => {
    expect(config[service].environment).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CA_FILE: '/certs/ca.pem',
      TEMPORAL_TLS_CERT_FILE: '/certs/client.pem',
      TEMPORAL_TLS_KEY_FILE: '/certs/client.key',
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    });
  });

  it('connects the UI with mTLS, signs supervisors in with OIDC, decodes through the HTTPS codec with their token and disables write actions', () => {
    expect(config['temporal-ui'].environment).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CA: '/certs/ca.pem',
      TEMPORAL_TLS_CERT: '/certs/client.pem',
      TEMPORAL_TLS_KEY: '/certs/client.key',
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
      TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true',
      TEMPORAL_AUTH_ENABLED: 'true',
      TEMPORAL_AUTH_PROVIDER_URL: 'https://idp.invalid/',
      TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
      TEMPORAL_AUTH_CLIENT_SECRET: 'ui-secret',
      TEMPORAL_AUTH_CALLBACK_URL: 'http://localhost:8080/auth/sso/callback',
      TEMPORAL_AUTH_SCOPES: 'openid,profile,email',
      TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'true',
      TEMPORAL_DISABLE_WRITE_ACTIONS: 'true',
    });
    expect(config['temporal-ui'].environment?.TEMPORAL_CODEC_ENDPOINT).toMatch(/^https:\/\/\S+\/codec$/);
  });

  it('serves the API over HTTPS with OIDC on /codec, from the compiled build', () => {
    expect(config.api.environment).toMatchObject({
      NODE_ENV: 'production',
      TLS_CERT_FILE: '/run/secrets/api_tls_cert',
      TLS_KEY_FILE: '/run/secrets/api_tls_key',
      CODEC_OIDC_ISSUER: 'https://idp.invalid/',
      CODEC_OIDC_AUDIENCE: 'cs-cases-codec',
      CODEC_OIDC_ROLES_CLAIM: 'roles',
      CODEC_OIDC_ROLE_MAP: '{"cs-supervisors":"supervisor"}',
      CODEC_CORS_ORIGINS: 'http://localhost:8080',
      CASES_ENCRYPTION_KEYS_FILE: '/run/secrets/encryption_keys',
      API_KEYS_FILE: '/run/secrets/api_keys',
    });
    expect(config.api.secrets?.map((secret) => secret.source).sort()).toEqual(['api_keys', 'api_tls_ca', 'api_tls_cert', 'api_tls_key', 'encryption_keys']);
    expect(config.api.command).toEqual(['node', 'node_modules/cs-cases/dist/api/main.js']);
    expect(config.worker.command).toEqual(['node', 'node_modules/cs-cases/dist/worker/main.js']);
  });

  it('checks the API health on GET /readyz over HTTPS with node, trusting the CA of its certificate', () => {
    const test = config.api.healthcheck?.test ?? [];
    expect(test[0]).toBe('CMD-SHELL');
    expect(test[1]).toMatch(/^NODE_EXTRA_CA_CERTS=\/run\/secrets\/api_tls_ca node -e /);
    expect(test[1]).toContain("fetch('https://127.0.0.1:3000/readyz')");
    expect(test[1]).not.toMatch(/curl|wget|REJECT_UNAUTHORIZED/);
  });

  it('keeps the worker on the real outside systems, its secrets and encryption keys', () => {
    expect(config.worker.environment).toMatchObject({
      NODE_ENV: 'production',
      PAYMENT_GATEWAY_URL: 'https://payments.invalid/',
      NOTIFICATIONS_URL: 'https://notify.invalid/',
      LOGISTICS_URL: 'https://logistics.invalid/',
      ORDERS_URL: 'https://orders.invalid/',
      WEBHOOKS_FILE: '/run/secrets/webhooks',
      CASES_ENCRYPTION_KEYS_FILE: '/run/secrets/encryption_keys',
    });
  });

  it('runs Prometheus with the alert rules and Grafana with its datasource and dashboard, scraping what the API and worker export', () => {
    const observability = path.join(root, 'scripts', 'topology', 'observability');
    expect(config.prometheus.image).toBe('prom/prometheus:v2.53.2');
    expect(config.prometheus.volumes).toEqual(expect.arrayContaining([
      `${path.join(observability, 'prometheus.yml')}:/etc/prometheus/prometheus.yml:ro`, `${path.join(observability, 'alerts.yml')}:/etc/prometheus/alerts.yml:ro`,
    ]));
    expect(config.grafana.image).toBe('grafana/grafana:11.2.2');
    expect(config.grafana.volumes).toEqual(expect.arrayContaining([
      `${path.join(observability, 'grafana', 'provisioning')}:/etc/grafana/provisioning:ro`, `${path.join(observability, 'grafana', 'dashboards')}:/var/lib/grafana/dashboards:ro`,
    ]));
    expect(config.grafana.environment).toMatchObject({ GF_SECURITY_ADMIN_PASSWORD: 'grafana-secret', GF_AUTH_ANONYMOUS_ENABLED: 'false' });
    // The scrape targets are the listeners the two processes open.
    expect(config.worker.environment).toMatchObject({ WORKER_METRICS_ADDRESS: '0.0.0.0:9464' });
    expect(config.api.environment).toMatchObject({ METRICS_HOST: '0.0.0.0', METRICS_PORT: '9100' });
    const prometheusYml = readFileSync(path.join(observability, 'prometheus.yml'), 'utf8');
    expect(prometheusYml).toContain("job_name: cs-cases-api\n    static_configs: [{ targets: ['api:9100'] }]");
    expect(prometheusYml).toContain("job_name: cs-cases-worker\n    static_configs: [{ targets: ['worker:9464'] }]");
  });

  it.each(['PAYMENT_GATEWAY_URL', 'NOTIFICATIONS_URL', 'LOGISTICS_URL', 'ORDERS_URL', 'OIDC_ISSUER_URL', 'CODEC_OIDC_ROLE_MAP', 'GRAFANA_ADMIN_PASSWORD'])(
    'refuses to start without %s (a real outside system or the identity provider)',
    (name) => {
      const bare = { ...env };
      delete (bare as Record<string, string | undefined>)[name];
      expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, env: bare, stdio: 'pipe' })).toThrow(new RegExp(name));
    },
  );
});
