/**
 * The codec endpoint as the real Temporal CLI calls it: `temporal workflow describe` and `workflow show`
 * with `--codec-endpoint` send an empty X-Namespace when no namespace is named, and `{}` for an empty
 * payload list. Both succeed and print the case's data decrypted, which is unreadable without the codec.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrBuildTemporalCli } from '../../../scripts/lib/temporal-cli';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { apiClient, type ApiClient } from '../../support/http';
import { temporalAddress, temporalNamespace } from '../../support/temporal';
import { afterSaleBody } from '../after-sale/fixtures';

const run = promisify(execFile);

let system: CaseSystem;
let api: ApiClient;
let cli: string;
let caseId: string;
const DESCRIPTION = 'the zipper tore on the first wear';
const CUSTOMER_REF = 'cust-codec-cli-5e1d';

beforeAll(async () => {
  cli = await findOrBuildTemporalCli(() => undefined);
  system = await startCaseSystem({ name: 'codec-cli' });
  api = apiClient(system.baseUrl);
  const created = await api.post('/v1/after-sales', afterSaleBody({ description: DESCRIPTION, customerRef: CUSTOMER_REF }), { key: 'dev-channel' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  caseId = created.body.id;
});
afterAll(async () => system?.close());

async function temporal(args: string[]): Promise<string> {
  const base = ['--workflow-id', caseId, '--address', temporalAddress(), '--color', 'never'];
  // The CLI's own default namespace unless the run uses another one (the codec is then told which).
  const namespace = temporalNamespace() === 'default' ? [] : ['--namespace', temporalNamespace()];
  const { stdout } = await run(cli, [...args, ...base, ...namespace], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The output with each JSON payload's base64 `data` written out (`--output json` prints payloads so). */
function readable(out: string): string {
  const decoded = [...out.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
  return [out, ...decoded].join('\n');
}

const withCodec = () => ['--codec-endpoint', `${system.baseUrl}/codec`, '--codec-auth', 'Bearer dev-supervisor'];

describe('the Temporal CLI through the codec endpoint', () => {
  it('workflow show prints the case input decrypted (and only with the codec)', async () => {
    const plain = await temporal(['workflow', 'show', '--output', 'json']);
    expect(readable(plain)).not.toContain(DESCRIPTION);
    expect(readable(plain)).not.toContain(CUSTOMER_REF);
    const decoded = await temporal(['workflow', 'show', '--output', 'json', ...withCodec()]);
    expect(readable(decoded)).toContain(DESCRIPTION);
    expect(readable(decoded)).toContain(CUSTOMER_REF);
  });

  it('workflow describe succeeds and prints decoded data', async () => {
    expect(readable(await temporal(['workflow', 'describe', '--output', 'json']))).not.toMatch(/"[0-9a-f]{64}"/);
    const started = Date.now();
    const out = await temporal(['workflow', 'describe', '--output', 'json', ...withCodec()]);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(out).toContain(caseId);
    // The memo, decoded: the request fingerprint is plain JSON once through the codec.
    expect(readable(out)).toMatch(/"[0-9a-f]{64}"/);
  });

  it('workflow metadata succeeds', async () => {
    const started = Date.now();
    await temporal(['workflow', 'metadata', ...withCodec()]);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
