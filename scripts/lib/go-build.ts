/**
 * Finds or builds a pinned Go binary (`go install pkg@version`) in the per-user cache outside the clone,
 * so fresh clones and CI runs on one machine share it. A lock file with a heartbeat keeps concurrent runs
 * from building twice; the build goes to a staging folder and is renamed into place when it works.
 */
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, constants as fsConstants, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export type Log = (message: string) => void;

/** A lock older than this without a heartbeat belongs to a run that died. */
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_HEARTBEAT_MS = 30_000;
const PROGRESS_EVERY_MS = 15_000;

export const EXE_SUFFIX = process.platform === 'win32' ? '.exe' : '';

export interface GoBinarySpec {
  /** What the binary is, for messages: `Temporal server v1.29.1`. */
  label: string;
  /** Go package path of the command, without version: `go.temporal.io/server/cmd/server`. */
  pkg: string;
  /** Module version to install: `v1.29.1`. */
  version: string;
  /** File name `go install` gives the binary (the last element of `pkg`). */
  binaryName: string;
  /** Folder under `<cache>/bin` holding this build; distinct per binary, as several are called `server`. */
  cacheFolder: string;
  /** Extra build environment, e.g. `{ CGO_ENABLED: '0' }`. */
  env?: Record<string, string>;
  /** Whether a file is a working build (default: an executable file). Runs on cached and fresh builds. */
  isWorking?: (file: string) => Promise<boolean>;
  /** How long the first build may take, for the start message: `about 1-3 minutes`. */
  estimate?: string;
  /** Alternatives named in the error when Go is missing (what else to install or set). */
  withoutGoHint?: string;
}

export interface FindOrBuildOptions {
  log?: Log;
  /** Cache root (default cacheDir()). */
  cacheRoot?: string;
}

/** `$CS_CASES_CACHE_DIR`, else `$XDG_CACHE_HOME/cs-cases`, else `~/.cache/cs-cases`: outside the clone. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CS_CASES_CACHE_DIR) return path.resolve(env.CS_CASES_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'cs-cases');
}

/** Where the pinned build of `spec` lives (it may not exist yet). */
export function cachedGoBinaryPath(spec: GoBinarySpec, dir: string = cacheDir()): string {
  return path.join(dir, 'bin', spec.cacheFolder, `${spec.binaryName}${EXE_SUFFIX}`);
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

export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Path of the cached build of `spec`, building it first when missing (once per machine; concurrent runs
 * wait for the one holding the lock). Fails clearly when Go is missing or the build fails.
 */
export async function findOrBuildGoBinary(spec: GoBinarySpec, options: FindOrBuildOptions = {}): Promise<string> {
  const log = options.log ?? console.log;
  const dir = options.cacheRoot ?? cacheDir();
  const cached = cachedGoBinaryPath(spec, dir);
  const works = async (file: string) => (await isExecutableFile(file)) && (spec.isWorking ? await spec.isWorking(file) : true);
  await fs.mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, `${spec.cacheFolder}.build.lock`);
  let toldWaiting = false;
  for (;;) {
    if (await works(cached)) {
      log(`Using the cached ${spec.label}: ${cached}`);
      return cached;
    }
    const release = await tryLock(lockPath);
    if (release) {
      try {
        // Another run may have finished the build between our check and our lock.
        if (await works(cached)) continue;
        await buildGoBinary(spec, dir, cached, works, log);
      } finally {
        await release();
      }
      continue;
    }
    if (!toldWaiting) {
      const holder = await readLock(lockPath);
      log(`Another run${holder ? ` (pid ${holder.pid})` : ''} is building the ${spec.label} into ${dir}; waiting for it…`);
      toldWaiting = true;
    }
    await delay(2_000);
  }
}

/** The output of `go env <name>` (e.g. GOMODCACHE), or undefined when Go is missing. */
export async function goEnv(name: string): Promise<string | undefined> {
  const go = await findOnPath('go');
  if (!go) return undefined;
  const output = await run(go, ['env', name]);
  return output?.trim() || undefined;
}

/** Runs a command; its stdout, or undefined when it fails. */
export function run(file: string, args: string[], timeoutMs = 60_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

async function buildGoBinary(
  spec: GoBinarySpec,
  dir: string,
  target: string,
  works: (file: string) => Promise<boolean>,
  log: Log,
): Promise<void> {
  const go = await findOnPath('go');
  if (!go) {
    throw new Error(
      `Cannot provide the ${spec.label}: none cached in ${dir}, and no Go toolchain (\`go\`) on PATH to build it. ` +
        'Install Go 1.25 or newer (https://go.dev/doc/install; an older `go` fetches the newer toolchain itself ' +
        `unless GOTOOLCHAIN=local)${spec.withoutGoHint ? `, or ${spec.withoutGoHint}` : ''}.`,
    );
  }

  const staging = path.join(dir, 'bin', `.${spec.cacheFolder}.staging-${process.pid}`);
  const buildLogPath = path.join(dir, `${spec.cacheFolder}.build.log`);
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });

  const args = ['install', '-v', `${spec.pkg}@${spec.version}`];
  const envPrefix = Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value} `).join('');
  log(
    `One-time build of the ${spec.label} starting: \`${envPrefix}go ${args.join(' ')}\` (${go}). ` +
      `It may take ${spec.estimate ?? 'several minutes'}; the result is cached in ${path.dirname(target)} and ` +
      `reused by every later run. Full output: ${buildLogPath}`,
  );

  const started = Date.now();
  const buildLog = createWriteStream(buildLogPath);
  const child = spawn(go, args, {
    env: { ...process.env, ...spec.env, GOBIN: staging },
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
    log(
      `  … still building the ${spec.label} (${formatDuration(Date.now() - started)}): ` +
        `${downloads} modules downloaded, ${packages} packages compiled`,
    );
  }, PROGRESS_EVERY_MS);

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearInterval(progress);
  process.off('exit', killOnExit);
  await new Promise<void>((resolve) => buildLog.end(resolve));

  const built = path.join(staging, `${spec.binaryName}${EXE_SUFFIX}`);
  if (exit.error || exit.code !== 0 || !(await works(built))) {
    await fs.rm(staging, { recursive: true, force: true });
    const how = exit.error ? exit.error.message : exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    throw new Error(
      `Building the ${spec.label} failed (${how}) after ${formatDuration(Date.now() - started)}. ` +
        `Last lines of ${buildLogPath}:\n${tail.join('\n')}`,
    );
  }
  // Rename into place: a half-written binary is never mistaken for the cached build.
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(built, target);
  await fs.rm(staging, { recursive: true, force: true });
  log(`Built the ${spec.label} in ${formatDuration(Date.now() - started)}: ${target}`);
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
