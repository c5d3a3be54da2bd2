/**
 * The Go build cache of the servers (scripts/lib/go-build.ts): a cached build is used without building,
 * one that does not work is rebuilt, and without Go the error says what to install.
 */
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type GoBinarySpec, cachedGoBinaryPath, findOrBuildGoBinary, isExecutableFile } from '../../../scripts/lib/go-build';

const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'cs-cases-go-build-'));
afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

const spec: GoBinarySpec = {
  label: 'example tool v0.0.1',
  pkg: 'example.invalid/cmd/tool',
  version: 'v0.0.1',
  binaryName: 'tool',
  cacheFolder: 'example-tool-v0.0.1',
  isWorking: async (file) => (await fs.readFile(file, 'utf8')).includes('works'),
  withoutGoHint: 'use the container image',
};

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('findOrBuildGoBinary', () => {
  it('keeps each binary in its own cache folder (two servers are both called `server`)', () => {
    expect(cachedGoBinaryPath(spec, cacheRoot)).toBe(path.join(cacheRoot, 'bin', 'example-tool-v0.0.1', 'tool'));
  });

  it('fails clearly when a build is needed and Go is missing', async () => {
    process.env.PATH = path.join(cacheRoot, 'empty-path');
    const error = await findOrBuildGoBinary(spec, { cacheRoot, log: () => undefined }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Cannot provide the example tool v0\.0\.1: none cached in .*no Go toolchain \(`go`\) on PATH.*Install Go.*use the container image/s);
    // Nothing half-built is left behind, and the lock is released.
    expect(await isExecutableFile(cachedGoBinaryPath(spec, cacheRoot))).toBe(false);
    await expect(fs.access(path.join(cacheRoot, 'example-tool-v0.0.1.build.lock'))).rejects.toThrow();
  });

  it('uses a working cached build without Go and says so', async () => {
    const cached = cachedGoBinaryPath(spec, cacheRoot);
    await fs.mkdir(path.dirname(cached), { recursive: true });
    await fs.writeFile(cached, '#!/bin/sh\n# works\n', { mode: 0o755 });
    process.env.PATH = path.join(cacheRoot, 'empty-path');
    const messages: string[] = [];
    await expect(findOrBuildGoBinary(spec, { cacheRoot, log: (message) => messages.push(message) })).resolves.toBe(cached);
    expect(messages).toEqual([`Using the cached example tool v0.0.1: ${cached}`]);
  });

  it('does not trust a cached file that fails its check: it wants to build again', async () => {
    await fs.writeFile(cachedGoBinaryPath(spec, cacheRoot), '#!/bin/sh\n# broken\n', { mode: 0o755 });
    process.env.PATH = path.join(cacheRoot, 'empty-path');
    await expect(findOrBuildGoBinary(spec, { cacheRoot, log: () => undefined })).rejects.toThrow(/no Go toolchain/);
  });
});
