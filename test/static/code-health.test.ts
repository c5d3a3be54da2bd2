/**
 * The code compiles under strict TypeScript and passes lint, including the determinism rule that keeps
 * workflow code free of Node built-ins, I/O libraries and non-type activity imports.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

function run(bin: string, args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(path.join(root, 'node_modules', '.bin', bin), args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('code health', () => {
  it('type-checks in strict mode', () => {
    const result = run('tsc', ['--noEmit', '-p', 'tsconfig.json']);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('passes lint, determinism rules for workflows included', () => {
    const result = run('eslint', ['.']);
    expect(result.output.trim()).toBe('');
    expect(result.ok).toBe(true);
  });
});
