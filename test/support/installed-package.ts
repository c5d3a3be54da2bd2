/**
 * The package as users get it: `npm pack` of this checkout (once per source state, cached under
 * .test-results/package), and installs of that tarball into scratch projects that never saw this
 * repository, either as an embedder would (`npm install <tarball>`) or by replaying the runtime stage of
 * the Dockerfile (production dependencies only, then the image's command).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const PACKED_SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.ts', 'README.md', 'CHANGELOG.md', 'workflows', 'activities', 'worker', 'api'];

function hashSources(): string {
  const hash = createHash('sha256');
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) visit(path.join(relative, entry));
    } else {
      hash.update(relative).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  PACKED_SOURCES.forEach(visit);
  return hash.digest('hex').slice(0, 16);
}

/** Path of the tarball `npm pack` makes of this checkout (its prepack runs the build); reused while the sources are unchanged. */
export function packedTarball(log: (message: string) => void = console.log): string {
  const dir = path.join(root, '.test-results', 'package', hashSources());
  const tarball = path.join(dir, 'cs-cases.tgz');
  if (existsSync(tarball)) return tarball;
  const staging = `${dir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log('[package] npm pack (runs npm run build: dist/ and the workflow bundle)…');
  execFileSync('npm', ['pack', '--loglevel=warn', '--pack-destination', staging], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const packed = readdirSync(staging).find((f) => f.endsWith('.tgz'));
  if (!packed) throw new Error('npm pack made no tarball');
  renameSync(path.join(staging, packed), path.join(staging, 'cs-cases.tgz'));
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  log(`[package] packed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return tarball;
}

/** A fresh folder outside the clone, as a project that never saw this repository. */
export function scratchProject(name: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `cs-cases-${name}-`));
}

/** What the README's embedding section installs beside the tarball. */
export const EMBEDDER_PACKAGES = ['protobufjs@^8.8.1'];

/** `npm install <tarball> …` into `dir`, as the README tells an embedder to add the plugin to a project. */
export function installForEmbedding(dir: string, tarball: string, packageJson: Record<string, unknown>): void {
  writePackageJson(dir, packageJson);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...EMBEDDER_PACKAGES], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface DockerImageSteps {
  /** The runtime stage's install line (RUN …), with its tarball path. */
  install: string;
  /** The image's default command (CMD, exec form). */
  command: string[];
  /** The user the image runs as. */
  user: string;
  workdir: string;
  env: Record<string, string>;
}

/** The runtime stage of the Dockerfile (after the last FROM), read as a test replays it. */
export function dockerRuntimeStage(dockerfile = path.join(root, 'Dockerfile')): DockerImageSteps {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ');
  const stage = text.split(/^FROM /m).at(-1)!;
  const line = (keyword: string) => stage.split('\n').filter((l) => l.startsWith(`${keyword} `)).map((l) => l.slice(keyword.length + 1).trim());
  const runs = line('RUN');
  const install = runs.find((r) => /npm (install|ci)\b/.test(r));
  const cmd = line('CMD').at(-1);
  if (!install || !cmd) throw new Error('the Dockerfile runtime stage has no npm install or no CMD');
  const env = Object.fromEntries(line('ENV').map((e) => e.split('=') as [string, string]));
  return { install, command: JSON.parse(cmd) as string[], user: line('USER').at(-1) ?? 'root', workdir: line('WORKDIR').at(-1) ?? '/', env };
}

/** Runs the runtime stage's install line in `dir`, with `tarball` where the image copied it. */
export function installLikeDockerfile(dir: string, tarball: string, steps = dockerRuntimeStage()): void {
  const copied = /\s(\/\S+\.tgz)/.exec(steps.install)?.[1];
  if (!copied) throw new Error(`the Dockerfile's install line names no tarball: ${steps.install}`);
  // A copy where the image has its own: the line may remove it afterwards, as the image does.
  const copy = path.join(dir, path.basename(copied));
  copyFileSync(tarball, copy);
  const script = steps.install.split(copied).join(copy);
  execFileSync('sh', ['-c', script], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...steps.env } });
}

function writePackageJson(dir: string, content: Record<string, unknown>): void {
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(content, null, 2)}\n`);
}
