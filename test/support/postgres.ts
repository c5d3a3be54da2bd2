/**
 * A throwaway PostgreSQL server for tests (the production topology's database): Debian's PostgreSQL,
 * installed with apt-get when missing, initialised in a folder of its own and started on a free port with
 * its socket in that folder. As root everything runs as the `postgres` user, since PostgreSQL refuses root.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { freePorts } from '../../scripts/lib/dev-server';
import { type Log, isExecutableFile } from '../../scripts/lib/go-build';

/** Debian installs each major version's server programs here (they are not on PATH). */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
const PG_USER = 'postgres';

export interface StartPostgresOptions {
  /** Folder for the data directory, socket and log (created; must be reachable by the `postgres` user). */
  dir: string;
  /** Login role created for the application, with CREATEDB (default temporal / temporal). */
  user?: string;
  password?: string;
  /** Databases created and owned by that role (default none). */
  databases?: string[];
  log?: Log;
}

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Folder of the Unix socket (pass it as host to psql). */
  socketDir: string;
  dataDir: string;
  logFile: string;
  /** Runs SQL as the superuser through the socket; resolves to psql's unaligned output. */
  psql(sql: string, database?: string): Promise<string>;
  /** Fast shutdown; idempotent. */
  stop(): Promise<void>;
}

/** Folder of the PostgreSQL server programs (initdb, pg_ctl, psql), installing Debian's package when missing. */
export async function findOrInstallPostgres(log: Log = console.log): Promise<string> {
  const found = await findPostgresBinDir();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'PostgreSQL server programs (initdb, pg_ctl) not found, and not root to install them: install PostgreSQL ' +
        '(Debian/Ubuntu: apt-get install postgresql) and run again.',
    );
  }
  log('PostgreSQL is not installed; installing the Debian package `postgresql` (apt-get, about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await exec('apt-get', ['update', '-qq'], { env, timeout: 300_000 });
  await exec('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { env, timeout: 900_000 });
  const installed = await findPostgresBinDir();
  if (!installed) throw new Error('Installing the Debian package postgresql did not provide initdb.');
  return installed;
}

async function findPostgresBinDir(): Promise<string | undefined> {
  const versions = (await fs.readdir(DEBIAN_POSTGRES_ROOT).catch(() => [] as string[]))
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(DEBIAN_POSTGRES_ROOT, version, 'bin');
    if ((await isExecutableFile(path.join(bin, 'initdb'))) && (await isExecutableFile(path.join(bin, 'pg_ctl')))) return bin;
  }
  // Other layouts (a source build, Homebrew): initdb on PATH, with pg_ctl and psql beside it.
  const onPath = await exec('sh', ['-c', 'command -v initdb']).catch(() => '');
  if (onPath.trim()) {
    const bin = path.dirname(await fs.realpath(onPath.trim()));
    if (await isExecutableFile(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

export async function startPostgres(options: StartPostgresOptions): Promise<Postgres> {
  const log = options.log ?? console.log;
  const bin = await findOrInstallPostgres(log);
  const user = options.user ?? 'temporal';
  const password = options.password ?? 'temporal';
  const root = path.resolve(options.dir);
  const dataDir = path.join(root, 'pgdata');
  const socketDir = path.join(root, 'socket');
  const logFile = path.join(dataDir, 'postgres.log'); // inside the data dir: writable by postgres
  const asRoot = process.getuid?.() === 0;
  const asPostgres = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', PG_USER, '--', command, ...args]] : [command, args];

  await fs.mkdir(root, { recursive: true });
  await fs.chmod(root, 0o755);
  for (const dir of [dataDir, socketDir]) {
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(dir, 0o700);
    if (asRoot) await exec('chown', [`${PG_USER}:${PG_USER}`, dir]);
  }

  const started = Date.now();
  await exec(
    ...asPostgres(path.join(bin, 'initdb'), [
      '-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8',
    ]),
    { timeout: 120_000 },
  );

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    [port] = await freePorts('127.0.0.1', 1);
    try {
      await exec(
        ...asPostgres(path.join(bin, 'pg_ctl'), [
          '-D', dataDir, '-l', logFile, '-w', '-t', '60',
          '-o', `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1`, 'start',
        ]),
        { timeout: 90_000 },
      );
      break;
    } catch (error) {
      // A port we picked can be taken before PostgreSQL binds it: pick another.
      const tail = readTail(logFile);
      if (attempt >= 3 || !/could not (bind|create listen socket)|address already in use/i.test(tail)) {
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\nEnd of ${logFile}:\n${tail}`, { cause: error });
      }
    }
  }
  const postmasterPid = Number((await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const watchdog = startPostmasterWatchdog(postmasterPid);

  const psql = (sql: string, database = 'postgres') =>
    exec(
      ...asPostgres(path.join(bin, 'psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]),
      { timeout: 60_000 },
    );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await exec(...asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']), { timeout: 60_000 }).catch(
        () => {
          try {
            process.kill(postmasterPid, 'SIGKILL');
          } catch {
            // already gone
          }
        },
      );
      watchdog?.kill('SIGKILL');
    })();
    return stopping;
  };

  try {
    await psql(`CREATE ROLE ${quoteIdent(user)} LOGIN CREATEDB PASSWORD ${quoteLiteral(password)}`);
    for (const database of options.databases ?? []) {
      await psql(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(`PostgreSQL ${path.basename(path.dirname(bin))} ready on 127.0.0.1:${port} in ${Date.now() - started} ms (role ${user}; data in ${dataDir})`);
  return { host: '127.0.0.1', port, user, password, socketDir, dataDir, logFile, psql, stop };
}

/** The last lines of a log file, or '' when it cannot be read. */
export function readTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * A tiny `sh` that blocks reading a pipe from this process: when this process dies in any way (SIGKILL
 * included) it wakes and shuts PostgreSQL down (SIGINT is PostgreSQL's fast shutdown), then kills it.
 */
function startPostmasterWatchdog(pid: number): ChildProcess | undefined {
  if (process.platform === 'win32' || !pid) return undefined;
  const script =
    'cat >/dev/null; kill -INT "$1" 2>/dev/null; i=0; ' +
    'while kill -0 "$1" 2>/dev/null && [ "$i" -lt 40 ]; do sleep 0.25; i=$((i+1)); done; kill -KILL "$1" 2>/dev/null';
  const watchdog = spawn('sh', ['-c', script, 'cs-cases-postgres-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as net.Socket | null)?.unref();
  return watchdog;
}

function exec(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, cwd: '/', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
