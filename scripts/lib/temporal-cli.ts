/**
 * Finds a Temporal CLI (the dev server lives in it) or builds one: a `temporal` on PATH, else the build in
 * the per-user cache, else a one-time `go install` of a pinned version into that cache, so fresh clones and
 * CI runs on a machine share it. A lock file keeps two concurrent runs from building twice.
 */
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, constants as fsConstants, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export type Log = (message: string) => void;

/**
 * Later tags add a `replace` directive to their go.mod, and `go install pkg@version` refuses modules with
 * one: v1.5.1 (Temporal Server 1.29) is the newest that installs this way.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

/** A lock older than this without a heartbeat belongs to a run that died. */
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_HEARTBEAT_MS = 30_000;
const PROGRESS_EVERY_MS = 15_000;

const EXE_SUFFIX = process.platform === 'win32' ? '.exe' : '';

/** `$CS_CASES_CACHE_DIR`, else `$XDG_CACHE_HOME/cs-cases`, else `~/.cache/cs-cases`: outside the clone. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CS_CASES_CACHE_DIR) return path.resolve(env.CS_CASES_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'cs-cases');
}

/** Where the pinned build lives (it may not exist yet). */
export function cachedTemporalCliPath(dir: string = cacheDir()): string {
  return path.join(dir, 'bin', `temporal-${TEMPORAL_CLI_VERSION}`, `temporal${EXE_SUFFIX}`);
}

/** Absolute path of an executable named `name` on PATH, or undefined. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, `${name}${EXE_SUFFIX}`);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** The version a `temporal` binary reports (`1.5.1`, or `0.0.0-DEV` for a source build), or undefined. */
export async function temporalCliVersion(cliPath: string): Promise<string | undefined> {
  const output = await new Promise<string | undefined>((resolve) => {
    execFile(cliPath, ['--version'], { timeout: 60_000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
  return output?.match(/temporal version\s+v?(\S+)/)?.[1];
}

/**
 * Path of a `temporal` CLI able to run `server start-dev`: PATH first (1.x or later, or a source build),
 * then the cached build, else builds it (minutes, once per machine). Fails clearly when Go is missing.
 */
export async function findOrBuildTemporalCli(log: Log = console.log): Promise<string> {
  const onPath = await findOnPath('temporal');
  if (onPath) {
    const version = await temporalCliVersion(onPath);
    if (version && isSupportedVersion(version)) {
      log(`Using the Temporal CLI on PATH: ${onPath} (version ${version}).`);
      return onPath;
    }
    log(`Ignoring ${onPath}: version ${version ?? 'unknown'} is not a Temporal CLI 1.x or later.`);
  }

  const dir = cacheDir();
  const cached = cachedTemporalCliPath(dir);
  await fs.mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, `temporal-${TEMPORAL_CLI_VERSION}.build.lock`);
  let toldWaiting = false;
  for (;;) {
    if (await isWorkingCli(cached)) {
      log(`Using the cached Temporal CLI ${TEMPORAL_CLI_VERSION}: ${cached}`);
      return cached;
    }
    const release = await tryLock(lockPath);
    if (release) {
      try {
        // Another run may have finished the build between our check and our lock.
        if (await isWorkingCli(cached)) continue;
        await buildTemporalCli(dir, cached, log);
      } finally {
        await release();
      }
      continue;
    }
    if (!toldWaiting) {
      const holder = await readLock(lockPath);
      log(`Another run${holder ? ` (pid ${holder.pid})` : ''} is building the Temporal CLI into ${dir}; waiting for it…`);
      toldWaiting = true;
    }
    await delay(2_000);
  }
}

function isSupportedVersion(version: string): boolean {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  // `go install` builds carry no release version: they report 0.0.0-DEV, and are ours to trust.
  return major >= 1 || /-DEV$/i.test(version);
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isWorkingCli(file: string): Promise<boolean> {
  return (await isExecutableFile(file)) && (await temporalCliVersion(file)) !== undefined;
}

async function buildTemporalCli(dir: string, target: string, log: Log): Promise<void> {
  const go = await findOnPath('go');
  if (!go) {
    throw new Error(
      'Cannot provide a Temporal dev server: no `temporal` CLI on PATH, none cached in ' +
        `${dir}, and no Go toolchain (\`go\`) on PATH to build one. Install Go 1.25 or newer ` +
        '(https://go.dev/doc/install; an older `go` fetches the newer toolchain itself unless ' +
        'GOTOOLCHAIN=local), or install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` ' +
        'on PATH, or set TEMPORAL_ADDRESS to a running Temporal server.',
    );
  }

  const staging = path.join(dir, 'bin', `.temporal-${TEMPORAL_CLI_VERSION}.staging-${process.pid}`);
  const buildLogPath = path.join(dir, `temporal-${TEMPORAL_CLI_VERSION}.build.log`);
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });

  const args = ['install', '-v', `${TEMPORAL_CLI_PACKAGE}@${TEMPORAL_CLI_VERSION}`];
  log(
    `One-time build of the Temporal dev server starting: Temporal CLI ${TEMPORAL_CLI_VERSION} with ` +
      `\`CGO_ENABLED=0 go ${args.join(' ')}\` (${go}). It may take several minutes (about 4-10 on a fresh ` +
      `machine); the result is cached in ${path.dirname(target)} and reused by every later run. ` +
      `Full output: ${buildLogPath}`,
  );

  const started = Date.now();
  const buildLog = createWriteStream(buildLogPath);
  const child = spawn(go, args, {
    env: { ...process.env, CGO_ENABLED: '0', GOBIN: staging },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let downloads = 0;
  let packages = 0;
  const tail: string[] = [];
  const onLine = (line: string) => {
    buildLog.write(`${line}\n`);
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (line.startsWith('go: downloading ')) {
      if (downloads === 0) log('  downloading Go modules…');
      downloads++;
    } else if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line)) {
      if (packages === 0) log('  compiling packages…');
      packages++;
    } else {
      log(`  go: ${line}`);
    }
  };
  readline.createInterface({ input: child.stdout }).on('line', onLine);
  readline.createInterface({ input: child.stderr }).on('line', onLine);
  const progress = setInterval(() => {
    log(`  … still building (${formatDuration(Date.now() - started)}): ${downloads} modules downloaded, ${packages} packages compiled`);
  }, PROGRESS_EVERY_MS);

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearInterval(progress);
  process.off('exit', killOnExit);
  await new Promise<void>((resolve) => buildLog.end(resolve));

  const built = path.join(staging, `temporal${EXE_SUFFIX}`);
  if (exit.error || exit.code !== 0 || !(await isWorkingCli(built))) {
    await fs.rm(staging, { recursive: true, force: true });
    const how = exit.error ? exit.error.message : exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    throw new Error(
      `Building the Temporal CLI failed (${how}) after ${formatDuration(Date.now() - started)}. ` +
        `Last lines of ${buildLogPath}:\n${tail.join('\n')}`,
    );
  }
  // Rename into place: a half-written binary is never mistaken for the cached build.
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(built, target);
  await fs.rm(staging, { recursive: true, force: true });
  log(`Built the Temporal CLI ${TEMPORAL_CLI_VERSION} in ${formatDuration(Date.now() - started)}: ${target}`);
}

interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Takes the lock (a file created exclusively, kept fresh by a heartbeat); undefined when held by another run. */
async function tryLock(lockPath: string): Promise<(() => Promise<void>) | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
      await fs.writeFile(lockPath, JSON.stringify(holder), { flag: 'wx' });
      const heartbeat = setInterval(() => {
        const now = new Date();
        fs.utimes(lockPath, now, now).catch(() => undefined);
      }, LOCK_HEARTBEAT_MS);
      heartbeat.unref();
      const removeOnExit = () => {
        try {
          rmSync(lockPath, { force: true });
        } catch {
          // The process is going away; a leftover lock goes stale by itself.
        }
      };
      process.on('exit', removeOnExit);
      return async () => {
        clearInterval(heartbeat);
        process.off('exit', removeOnExit);
        await fs.rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await isStaleLock(lockPath))) return undefined;
      await fs.rm(lockPath, { force: true });
    }
  }
  return undefined;
}

async function readLock(lockPath: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

async function isStaleLock(lockPath: string): Promise<boolean> {
  let mtimeMs: number;
  try {
    mtimeMs = (await fs.stat(lockPath)).mtimeMs;
  } catch {
    return true;
  }
  if (Date.now() - mtimeMs > LOCK_STALE_MS) return true;
  const holder = await readLock(lockPath);
  if (!holder) return Date.now() - mtimeMs > 10_000; // being written right now, or garbage
  return holder.host === os.hostname() && !isAlive(holder.pid);
}

/** Whether a process id is alive (EPERM: alive, but not ours to signal). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
