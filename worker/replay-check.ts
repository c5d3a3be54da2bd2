#!/usr/bin/env node
/**
 * `cs-cases-replay-check <file-or-folder>…`: before an upgrade, replays your own exported case histories
 * (JSON from `temporal workflow show --output json`, the Temporal UI's download, or `{ workflowId,
 * history }`) against the installed plugin, and exits non-zero when any would fail with non-determinism.
 * Payloads are encrypted: it reads the same keys as the worker (CASES_ENCRYPTION_KEYS or _FILE).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createCasesPlugin } from './plugin';
import { createSandboxAdapters } from './sandbox';
import { loadKeyring } from './encryption';

export interface ReplayCheckResult {
  file: string;
  workflowId: string;
  error?: string;
}

async function historyFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const stat = await fs.stat(input);
    if (stat.isDirectory()) {
      for (const entry of (await fs.readdir(input)).sort()) if (entry.endsWith('.json')) files.push(path.join(input, entry));
    } else {
      files.push(input);
    }
  }
  return files;
}

/** `{ workflowId, history }` as recorded here, or a bare `{ events }` whose id comes from the file name. */
function parseHistory(file: string, text: string): { workflowId: string; history: unknown } {
  const json = JSON.parse(text) as { workflowId?: string; history?: unknown; events?: unknown };
  if (json.history && typeof json.workflowId === 'string') return { workflowId: json.workflowId, history: json.history };
  if (Array.isArray(json.events)) return { workflowId: path.basename(file, '.json'), history: json };
  throw new Error(`${file}: not a workflow history (expected { events: [...] } or { workflowId, history })`);
}

/** Replays every history under `inputs` with the installed plugin; one result per file. */
export async function replayCheck(inputs: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ReplayCheckResult[]> {
  const files = await historyFiles(inputs);
  if (files.length === 0) throw new Error(`no .json histories under ${inputs.join(', ')}`);
  const histories = await Promise.all(files.map(async (file) => ({ file, ...parseHistory(file, await fs.readFile(file, 'utf8')) })));
  const byWorkflowId = new Map(histories.map((h) => [h.workflowId, h.file]));
  // Activities never run during replay: the sandbox adapters only fill the plugin's shape.
  const plugin = createCasesPlugin({ ...createSandboxAdapters(), encryptionKeys: loadKeyring(env) });
  const results: ReplayCheckResult[] = [];
  for await (const result of Worker.runReplayHistories({ plugins: [plugin], replayName: 'cs-cases-replay-check' }, histories.map(({ workflowId, history }) => ({ workflowId, history })))) {
    results.push({
      file: byWorkflowId.get(result.workflowId) ?? result.workflowId,
      workflowId: result.workflowId,
      ...(result.error ? { error: `${result.error.name}: ${result.error.message}` } : {}),
    });
  }
  return results;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help')) {
    console.log('usage: cs-cases-replay-check <history.json | folder>…  (CASES_ENCRYPTION_KEYS or CASES_ENCRYPTION_KEYS_FILE as for the worker)');
    return argv.length === 0 ? 2 : 0;
  }
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const results = await replayCheck(argv);
  for (const r of results) console.log(`${r.error ? 'FAIL' : 'ok  '} ${r.workflowId} (${r.file})${r.error ? `\n     ${r.error}` : ''}`);
  const failed = results.filter((r) => r.error).length;
  console.log(`${results.length - failed} replayed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
    // Several protobufjs copies (one private to each SDK package) cannot read history JSON.
    const hint = /type must be a Type/.test(err.message) ? ' (install protobufjs@^8.8.1 as a direct dependency of your project: see the README)' : '';
    console.error(`replay-check failed: ${err.message}${hint}`);
    process.exit(2);
  });
}
