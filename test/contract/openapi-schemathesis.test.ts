/**
 * The OpenAPI document checked by an independent tool against the live API: schemathesis (from PyPI, in a
 * virtual environment of its own under the per-user cache, made once) generates valid and invalid requests
 * for every documented operation and checks each answer: no server error, a documented status code, the
 * documented content type, and a body that matches the documented schema. The API runs with a real worker
 * on the run's Temporal dev server and the development keys; each route group is called with a key whose
 * role may use it, so requests get past 403 to the case logic. Fails with schemathesis' summary printed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { loadApiKeys } from '../../api/auth';
import { cacheDir } from '../../scripts/lib/temporal-cli';
import { startCaseSystem, type CaseSystem } from '../support/case-system';
import { temporalNamespace } from '../support/temporal';

const exec = promisify(execFile);

/** Pinned: a newer release may add checks or change its command line. */
const SCHEMATHESIS_VERSION = '4.32.5';
/** Test cases per operation and phase: enough to reach every status an operation documents, small enough for CI. */
const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 8);
const SEED = process.env.SCHEMATHESIS_SEED ?? '20261122';
/** The whole run (every group) stays under this. */
const RUN_BUDGET_MS = 170_000;

const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];

/**
 * Route groups and the development key that calls each: the role that may use the routes, so generated
 * requests reach the logic behind the role check. Together they cover every documented path.
 */
const GROUPS: Array<{ name: string; key: string; pathRegex: string }> = [
  { name: 'admin: policies, calendars, selection rules, parked webhooks', key: 'dev-admin', pathRegex: '^/v1/(policies|calendars|policy-selection|webhooks)' },
  { name: 'channel: creates, callbacks and channel actions', key: 'dev-channel', pathRegex: '^/v1/((after-sales|complaints|inquiries|order-issues)$|callbacks/)' },
  { name: 'supervisor: case reads, actions, lists, reports, codec, health', key: 'dev-supervisor', pathRegex: '^/(healthz|readyz|codec/|v1/(cases|reports/|(after-sales|complaints|inquiries|order-issues)/))' },
];

let system: CaseSystem;
/** The API under test: the case system's client and worker, with a rate limit no generated run reaches. */
let api: FastifyInstance;
let baseUrl: string;
let schemathesis: string;
let workDir: string;
/** schemathesis.toml for the run: ids of real cases, policies and calendars to use beside generated ones. */
let configFile: string;
/** Each group's full output, kept for reading after a failure (the test prints the summary). */
const LOG_DIR = path.join('.test-results', 'schemathesis');

type Version = [number, number, number];

async function versionOf(python: string): Promise<Version | undefined> {
  try {
    const { stdout, stderr } = await exec(python, ['--version'], { timeout: 10_000 });
    const m = /Python (\d+)\.(\d+)\.(\d+)/.exec(stdout + stderr);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPython before 3.11.8 (and 3.12.0) can fail inside hypothesis with "AST constructor recursion depth
 * mismatch" while schemathesis generates data (a CPython bug, not the API's): prefer an interpreter
 * without it. `PYTHON` wins; then python3.13/python3.12 on PATH, pyenv's installed versions, python3.
 */
const hasAstBug = ([major, minor, patch]: Version) => major === 3 && ((minor === 11 && patch < 8) || (minor === 12 && patch < 1));

async function choosePython(): Promise<{ python: string; version: Version }> {
  if (process.env.PYTHON) {
    const version = await versionOf(process.env.PYTHON);
    if (!version) throw new Error(`PYTHON=${process.env.PYTHON} does not run`);
    return { python: process.env.PYTHON, version };
  }
  const candidates = ['python3.13', 'python3.12'];
  try {
    const root = (await exec('pyenv', ['root'], { timeout: 10_000 })).stdout.trim();
    const versions = (await readdir(path.join(root, 'versions'))).filter((v) => /^3\.\d+\.\d+$/.test(v));
    versions.sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    candidates.push(...versions.map((v) => path.join(root, 'versions', v, 'bin', 'python3')));
  } catch {
    // No pyenv: PATH only.
  }
  candidates.push('python3');
  let fallback: { python: string; version: Version } | undefined;
  for (const python of candidates) {
    const version = await versionOf(python);
    if (!version || version[0] !== 3 || version[1] < 10) continue;
    if (!hasAstBug(version)) return { python, version };
    fallback ??= { python, version };
  }
  if (!fallback) throw new Error('schemathesis needs Python 3.10 or newer: install python3 (with venv), or set PYTHON');
  return fallback;
}

/** The schemathesis executable of the pinned version, installed into the cache on first use. */
async function ensureSchemathesis(): Promise<{ executable: string; python: Version }> {
  const { python, version } = await choosePython();
  const venv = path.join(cacheDir(), 'python', `schemathesis-${SCHEMATHESIS_VERSION}-py${version[0]}.${version[1]}.${version[2]}`);
  const bin = path.join(venv, process.platform === 'win32' ? 'Scripts' : 'bin');
  const executable = path.join(bin, 'schemathesis');
  const works = async () => existsSync(executable) && (await exec(executable, ['--version']).then((r) => r.stdout.includes(SCHEMATHESIS_VERSION), () => false));
  if (await works()) return { executable, python: version };
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(path.dirname(venv), { recursive: true });
  await exec(python, ['-m', 'venv', venv], { timeout: 120_000 });
  await exec(path.join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], { timeout: 480_000, maxBuffer: 16 * 1024 * 1024 });
  if (!(await works())) throw new Error(`schemathesis ${SCHEMATHESIS_VERSION} did not install into ${venv}`);
  return { executable, python: version };
}

/**
 * What a group's run found. Failures of checks always count; a run error counts too, unless it is the
 * CPython bug above (documented exclusion: it happens inside the data generator, before any request).
 */
function verdict(result: GroupResult): { ok: boolean; toolErrors: number } {
  const final = /^=+ (.*) in [\d.]+s =+$/m.exec(result.output.split('\n').filter((l) => /^=+ .* in [\d.]+s =+$/.test(l)).at(-1) ?? '')?.[1] ?? '';
  if (/\bfailures?\b/.test(final)) return { ok: false, toolErrors: 0 };
  if (!/\berrors?\b/.test(final)) return { ok: result.code === 0, toolErrors: 0 };
  const section = /^=+ ERRORS =+$([\s\S]*?)^=+ [A-Z]+ =+$/m.exec(result.output)?.[1] ?? '';
  const blocks = section.split(/^_{3,} .+ _{3,}$/m).slice(1);
  const toolErrors = blocks.filter((b) => b.includes('AST constructor recursion depth mismatch')).length;
  return { ok: blocks.length > 0 && toolErrors === blocks.length, toolErrors };
}

beforeAll(async () => {
  const installed = await ensureSchemathesis();
  schemathesis = installed.executable;
  if (hasAstBug(installed.python)) console.warn(`schemathesis runs on Python ${installed.python.join('.')}: its CPython AST bug may stop a generator (reported, not failed); set PYTHON to a newer interpreter`);
  system = await startCaseSystem({ name: 'schemathesis' });
  // 429s would hide the logic behind every route: the limiter itself is covered by the unit tests.
  api = await buildApp({
    client: system.client, taskQueue: system.taskQueue, namespace: temporalNamespace(), keys: loadApiKeys({}),
    logger: { level: 'error' }, temporalCallTimeoutMs: 5_000, rateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
  });
  baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  mkdirSync(LOG_DIR, { recursive: true });
  workDir = mkdtempSync(path.join(os.tmpdir(), 'cs-cases-schemathesis-'));
  configFile = path.join(workDir, 'schemathesis.toml');
  writeFileSync(configFile, await seededConfig());
}, 600_000);

async function call(method: string, url: string, key: string, body?: unknown): Promise<any> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json', 'idempotency-key': `seed-${url}-${Date.now()}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const answer = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * Generated ids are almost never real, so reads and actions would only ever answer 404: one real case of
 * each kind (and the real policy and calendar ids) is offered for most requests, so views, 409s and
 * successful actions are checked against their schemas too.
 */
async function seededConfig(): Promise<string> {
  const order = { items: [{ sku: 'sku-1', quantity: 1, unitPrice: { amount: 9_900, currency: 'CNY' } }], paidTotal: { amount: 9_900, currency: 'CNY' }, shippingFee: { amount: 0, currency: 'CNY' } };
  const ids: Record<string, string[]> = {
    afterSales: [(await call('POST', '/v1/after-sales', 'dev-channel', {
      merchantId: 'm-a', orderId: 'o-seed-1', customerRef: 'c-seed', type: 'refund_only', reason: 'quality', items: order.items,
      order: { paidTotal: order.paidTotal, shippingFee: order.shippingFee, deliveredAt: new Date(Date.now() - 86_400_000).toISOString() },
    })).id],
    complaints: [(await call('POST', '/v1/complaints', 'dev-channel', {
      merchantId: 'm-a', customerRef: 'c-seed', channel: 'chat', category: 'delivery', severity: 'medium', urgency: 'normal', customerTier: 'regular', summary: 'late', order,
    })).id],
    inquiries: [(await call('POST', '/v1/inquiries', 'dev-channel', { merchantId: 'm-a', customerRef: 'c-seed', channel: 'chat', topic: 'sizing' })).id],
    orderIssues: [(await call('POST', '/v1/order-issues', 'dev-channel', {
      merchantId: 'm-a', orderId: 'o-seed-2', customerRef: 'c-seed', type: 'delivery_delay', trackingNumber: 'SF100200300', order,
    })).id],
    policies: ((await call('GET', '/v1/policies', 'dev-admin')).policies as Array<{ id: string }>).map((p) => p.id),
    calendars: ((await call('GET', '/v1/calendars', 'dev-admin')).calendars as Array<{ id: string }> ?? []).map((c) => c.id),
  };
  const collections: Record<string, string> = { afterSales: 'after-sales', complaints: 'complaints', inquiries: 'inquiries', orderIssues: 'order-issues', policies: 'policies', calendars: 'calendars' };
  const toml = (value: unknown) => JSON.stringify(value);
  return [
    ...Object.entries(ids).filter(([, values]) => values.length > 0).map(([name, values]) => `[dictionaries.${name}]\nvalues = ${toml(values)}\n`),
    ...Object.entries(ids).filter(([, values]) => values.length > 0).map(([name]) => [
      '[[operations]]',
      `include-path-regex = ${toml(`^/v1/${collections[name]}/\\{id\\}`)}`,
      `parameters = { "path.id" = { dictionary = "${name}", probability = 0.8 } }`,
      '',
    ].join('\n')),
  ].join('\n');
}
afterAll(async () => {
  await api?.close();
  await system?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface GroupResult { name: string; code: number; output: string; ms: number }

async function runGroup(group: (typeof GROUPS)[number], budgetMs: number): Promise<GroupResult> {
  const started = Date.now();
  const result = await execGroup(group, budgetMs);
  writeFileSync(path.join(LOG_DIR, `${group.key}.log`), result.output);
  return { ...result, ms: Date.now() - started };
}

async function execGroup(group: (typeof GROUPS)[number], budgetMs: number): Promise<Omit<GroupResult, 'ms'>> {
  const args = [
    '--config-file', configFile,
    'run', `${baseUrl}/docs/json`,
    '--url', baseUrl,
    '--header', `Authorization: Bearer ${group.key}`,
    '--include-path-regex', group.pathRegex,
    '--checks', CHECKS.join(','),
    '--phases', 'examples,coverage,fuzzing',
    '--max-examples', String(MAX_EXAMPLES),
    '--seed', SEED,
    '--workers', '2',
    '--request-timeout', '15',
    '--generation-database', 'none',
    '--no-color',
    '--continue-on-failure',
    '--report-dir', path.join(workDir, group.key),
  ];
  try {
    const { stdout, stderr } = await exec(schemathesis, args, { cwd: workDir, timeout: budgetMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { name: group.name, code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; killed?: boolean; stdout?: string; stderr?: string };
    const note = e.killed ? `\n(stopped: over its ${Math.round(budgetMs / 1000)} s budget)` : '';
    return { name: group.name, code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${note}` };
  }
}

/** Schemathesis' own summary: from its FAILURES (or SUMMARY) section to the end. */
function summaryOf(output: string): string {
  const at = output.search(/^=+ (FAILURES|ERRORS|SUMMARY) =+$/m);
  return (at >= 0 ? output.slice(at) : output).slice(-20_000);
}

describe('the OpenAPI document against the live API (schemathesis)', () => {
  it('every documented operation answers as documented', async () => {
    const deadline = Date.now() + RUN_BUDGET_MS;
    const results: GroupResult[] = [];
    for (const group of GROUPS) results.push(await runGroup(group, Math.max(10_000, deadline - Date.now())));
    const failed = results.filter((r) => !verdict(r).ok);
    for (const r of results) {
      const { toolErrors } = verdict(r);
      console.log(`schemathesis · ${r.name} (${Math.round(r.ms / 1000)} s): exit ${r.code}${toolErrors ? ` (${toolErrors} CPython AST-bug errors, excluded)` : ''}\n${summaryOf(r.output)}`);
    }
    expect(failed.map((r) => `${r.name}: exit ${r.code}\n${summaryOf(r.output)}`)).toEqual([]);
    // Every documented path was in some group's selection (a path no group names would go unchecked).
    const doc = await (await fetch(`${baseUrl}/docs/json`)).json() as { paths: Record<string, unknown> };
    const uncovered = Object.keys(doc.paths).filter((p) => !GROUPS.some((g) => new RegExp(g.pathRegex).test(p)));
    expect(uncovered).toEqual([]);
  }, 240_000);
});
