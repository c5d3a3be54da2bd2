/**
 * The typed client's generated files (api/client/openapi.json and schema.ts) match what the API's own
 * OpenAPI document generates now: a route or schema changed without `npx tsx scripts/generate-client.ts`
 * fails here. Generation runs in memory; nothing is written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_DIR, generateClientFiles } from '../../../scripts/generate-client';

describe('the generated client', () => {
  it('is up to date with the API (else run: npx tsx scripts/generate-client.ts)', async () => {
    const fresh = await generateClientFiles();
    for (const [name, text] of Object.entries(fresh)) {
      const committed = readFileSync(path.join(CLIENT_DIR, name), 'utf8');
      expect(committed === text, `api/client/${name} is stale: run npx tsx scripts/generate-client.ts`).toBe(true);
    }
  }, 120_000);

  it('types every route of the document, sandbox controls included', async () => {
    const document = JSON.parse(readFileSync(path.join(CLIENT_DIR, 'openapi.json'), 'utf8')) as { paths: Record<string, unknown> };
    const schema = readFileSync(path.join(CLIENT_DIR, 'schema.ts'), 'utf8');
    const missing = Object.keys(document.paths).filter((p) => !schema.includes(`"${p}": {`));
    expect(missing).toEqual([]);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/after-sales/{id}/actions/retry-refund', '/v1/sandbox/payments/faults']));
  });
});
