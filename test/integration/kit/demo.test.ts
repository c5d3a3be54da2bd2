/**
 * `npm run demo` against a test instance: the script runs as a process of its own (as a person runs it
 * against `npm start`) on deadlines ten times shorter, and its cases reach, by their deadlines alone, the
 * states it prints: refunds by silence, an expired return, an arbitration executed by the platform, a
 * complaint escalated to L4, a complaint accepted by silence and surveyed, inquiries escalated and closed
 * no_response, an order cancelled with a refund. A second run finds the same cases; --fresh opens new ones.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCasesClient, type CasesClient } from '../../../api/client';
import { startCaseSystem, type CaseSystem } from '../../support/case-system';
import { eventually } from '../../support/http';

const root = path.resolve(__dirname, '..', '..', '..');
const uiUrl = inject('temporalUiUrl') || 'http://127.0.0.1:8233';
let system: CaseSystem;
let stateDir: string;
let supervisor: CasesClient;

beforeAll(async () => {
  system = await startCaseSystem({ name: 'demo' });
  stateDir = await mkdtemp(path.join(tmpdir(), 'cs-cases-demo-'));
  supervisor = createCasesClient({ baseUrl: system.baseUrl, apiKey: 'dev-supervisor' });
});
afterAll(async () => {
  await system?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

interface Printed { output: string; ids: Record<number, string> }

/** Runs the demo script; the case ids come from the UI links it prints, by case number. */
async function runDemo(...extra: string[]): Promise<Printed> {
  const args = ['scripts/demo.ts', '--api', system.baseUrl, '--ui', uiUrl, '--scale', '0.1', '--state', path.join(stateDir, 'demo.json'), ...extra];
  const { stdout } = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'tsx'), args, { cwd: root, timeout: 30_000 });
  const ids: Record<number, string> = {};
  for (const match of stdout.matchAll(/^ {2}(\d+)\. .* (\S+)\/namespaces\/default\/workflows\/(\S+)$/gm)) {
    expect(match[2]).toBe(uiUrl);
    ids[Number(match[1])] = decodeURIComponent(match[3]!);
  }
  return { output: stdout, ids };
}

type View = { status: string; outcome?: string | null; escalationLevel: number; owner?: { role: string } | null; timeline: Array<{ type: string; data?: Record<string, unknown> }>; satisfaction?: { status: string }; deadlines: Array<{ name: string; state: string }>;
  solutions?: Array<{ state: string; linkedCase?: { closed?: { outcome: string | null; refunded?: { amount: number; currency: string } } } }> };

async function read(id: string): Promise<View> {
  const p = { params: { path: { id } } };
  if (id.startsWith('as_')) return (await supervisor.GET('/v1/after-sales/{id}', p)) as unknown as View;
  if (id.startsWith('cp_')) return (await supervisor.GET('/v1/complaints/{id}', p)) as unknown as View;
  if (id.startsWith('iq_')) return (await supervisor.GET('/v1/inquiries/{id}', p)) as unknown as View;
  return (await supervisor.GET('/v1/order-issues/{id}', p)) as unknown as View;
}

const types = (view: View) => view.timeline.map((e) => e.type);

/** Waits until the case satisfies `check` (vitest expectations), returning its view. */
function reaches(id: string, check: (view: View) => void, timeoutMs = 45_000): Promise<View> {
  return eventually(async () => {
    const view = await read(id);
    check(view);
    return view;
  }, { timeoutMs, intervalMs: 500 });
}

describe('npm run demo', () => {
  it('opens cases of every kind whose deadlines bring what it promises; a second run reuses them, --fresh opens new ones', async () => {
    const started = Date.now();
    const first = await runDemo();
    expect(Object.keys(first.ids).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(first.output).toMatch(/Demo set [0-9a-f]{6} \(new\)/);
    expect(first.output).toContain('Supervisor views');
    expect(first.output).toContain(`${uiUrl}/namespaces/default/workflows?query=`);
    const { ids } = first;
    // The printed query for the set lists its cases, and cases only.
    const setQuery = /^ +(CaseKind IN .* AND PolicyId = 'demo-[0-9a-f]{6}')$/m.exec(first.output)?.[1];
    expect(setQuery).toBeDefined();
    await eventually(async () => {
      const listed: string[] = [];
      for await (const e of system.client.workflow.list({ query: setQuery! })) listed.push(e.workflowId);
      expect(listed).toEqual(expect.arrayContaining(Object.values(ids)));
      expect(listed.filter((id) => !/^(as|cp|iq|oi)_/.test(id))).toEqual([]);
    }, { timeoutMs: 15_000 });

    // 1. Merchant silent: approved by the system, refunded, then surveyed.
    const refunded = await reaches(ids[1]!, (v) => {
      expect(v).toMatchObject({ status: 'closed', outcome: 'refunded' });
      expect(v.satisfaction?.status).toBe('sent');
    });
    expect(types(refunded)).toContain('case.default_outcome');
    // 2. Approved by silence, never shipped back: closed expired.
    await reaches(ids[2]!, (v) => expect(v).toMatchObject({ status: 'closed', outcome: 'expired' }));
    // 3. Arbitration ruled; the merchant's silence lets the platform execute the refund.
    const ruled = await reaches(ids[3]!, (v) => expect(v).toMatchObject({ status: 'closed', outcome: 'refunded' }));
    expect(ruled.deadlines.filter((d) => d.name === 'rulingExecution').map((d) => d.state)).toEqual(['breached']);
    // 4. Nobody answers the P1 complaint: warned, escalated up to L4.
    const climbed = await reaches(ids[4]!, (v) => expect(v.escalationLevel).toBe(4));
    expect(types(climbed)).toContain('deadline.warned');
    expect(climbed.timeline.filter((e) => e.type === 'case.escalated').map((e) => e.data?.to)).toEqual(['L2', 'L3', 'L4']);
    // 5. The proposed refund accepted by silence, the resolution confirmed by silence, closed and surveyed.
    const accepted = await reaches(ids[5]!, (v) => {
      expect(v.status).toBe('closed');
      expect(v.satisfaction?.status).toBe('sent');
    });
    expect(accepted.solutions?.[0]).toMatchObject({ state: 'accepted', linkedCase: { closed: { outcome: 'partially_refunded', refunded: { amount: 5_000, currency: 'CNY' } } } });
    expect(accepted.timeline.filter((e) => e.type === 'case.default_outcome').map((e) => e.data?.outcome)).toEqual(['accepted', 'confirmed']);
    // 6. The unanswered inquiry: warned, then a team lead owns it (and the tiers above, breach by breach).
    const inquiry = await reaches(ids[6]!, (v) => expect(v.escalationLevel).toBeGreaterThanOrEqual(2));
    expect(types(inquiry)).toContain('deadline.warned');
    expect(inquiry.timeline.find((e) => e.type === 'case.escalated')?.data).toMatchObject({ from: 'L1', to: 'L2' });
    // 7. The quiet customer: a follow-up, then closed no_response.
    await reaches(ids[7]!, (v) => expect(v).toMatchObject({ status: 'closed', outcome: 'no_response', followUpsSent: 1 }));
    // 8. Out of stock, no choice: cancelled with a refund.
    await reaches(ids[8]!, (v) => expect(v).toMatchObject({ status: 'closed', outcome: 'cancelled' }));
    expect(Date.now() - started).toBeLessThan(60_000);

    // A second run finds the same cases, whatever state they are in now.
    const second = await runDemo();
    expect(second.output).toMatch(/Demo set [0-9a-f]{6} \(reused/);
    expect(second.ids).toEqual(ids);

    // --fresh opens a new set: new cases.
    const fresh = await runDemo('--fresh');
    expect(Object.keys(fresh.ids)).toHaveLength(8);
    for (const n of Object.keys(ids).map(Number)) expect(fresh.ids[n]).not.toBe(ids[n]);
  }, 150_000);
});
