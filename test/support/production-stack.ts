/**
 * Pieces for running the installed package as production runs it: the commands docker-compose.yml gives
 * its services (and whether they exist in an install of the tarball), secrets files as an operator writes
 * them (API keys with random secrets, encryption keys, copies of the TLS files owned by the service user),
 * and the worker and API as plain node processes under an unprivileged user, the image's USER.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ScenarioKeys } from './scenarios';

const root = path.resolve(__dirname, '..', '..');

/** The `command:` of one service of docker-compose.yml (exec form), or undefined when it has none. */
export function composeServiceCommand(service: string, composeFile = path.join(root, 'docker-compose.yml')): string[] | undefined {
  const compose = parseYaml(readFileSync(composeFile, 'utf8')) as { services?: Record<string, { command?: unknown }> };
  const definition = compose.services?.[service];
  if (!definition) throw new Error(`docker-compose.yml has no service ${service}`);
  const command = definition.command;
  if (command === undefined) return undefined;
  if (typeof command === 'string') return command.split(/\s+/).filter(Boolean);
  return (command as unknown[]).map(String);
}

/** node options whose value is the next argument. */
const NODE_OPTIONS_WITH_VALUE = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--env-file']);

/**
 * What a `node …` command needs that an install in `cwd` does not have: modules preloaded with --import /
 * --require / --loader that do not resolve from `cwd`, and a script file that is not there. Empty when the
 * command can run.
 */
export function missingFromInstall(command: string[], cwd: string): string[] {
  const [program, ...args] = command;
  if (program !== 'node') return [`runs ${program}, not node`];
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (NODE_OPTIONS_WITH_VALUE.has(arg)) {
      const value = args[++i];
      if (arg === '--env-file') continue;
      if (value.startsWith('.') || value.startsWith('/')) {
        if (!existsSync(path.resolve(cwd, value))) problems.push(`${arg} ${value}: no such file in the install`);
      } else {
        try {
          require.resolve(value, { paths: [cwd] });
        } catch {
          problems.push(`${arg} ${value}: the package ${value} is not installed (production dependencies only)`);
        }
      }
      continue;
    }
    if (arg.startsWith('-')) continue;
    if (!existsSync(path.resolve(cwd, arg))) problems.push(`${arg}: no such file in the install`);
    break; // the script; what follows are its own arguments
  }
  return problems;
}

/** The command of an installed bin of the package, run with node from `cwd` (the project that installed it). */
export function installedBinCommand(cwd: string, packageName: string, bin: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(cwd, 'node_modules', packageName, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const file = manifest.bin?.[bin];
  if (!file) throw new Error(`${packageName} has no bin ${bin}`);
  return ['node', path.posix.join('node_modules', packageName, file)];
}

export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

/** The named user if this machine has it (the image's `node`), else `nobody`; undefined when not root. */
export function unprivilegedUser(preferred: string): ServiceUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const entry = passwd.find((fields) => fields[0] === preferred && fields[2] !== '0') ?? passwd.find((fields) => fields[0] === 'nobody');
  if (!entry) return undefined;
  return { name: entry[0], uid: Number(entry[2]), gid: Number(entry[3]) };
}

export interface ProductionSecrets {
  dir: string;
  apiKeysFile: string;
  encryptionKeysFile: string;
  /** WEBHOOKS_FILE: the merchants' webhook subscriptions, when given. */
  webhooksFile?: string;
  /** Bearer secrets by role, as the scenario drivers take them. */
  keys: ScenarioKeys;
  /** Copies of the TLS files: the Temporal client pair and CA, and the API's HTTPS pair. */
  temporalCaFile: string;
  temporalCertFile: string;
  temporalKeyFile: string;
  httpsCertFile: string;
  httpsKeyFile: string;
}

/**
 * A secrets folder as an operator fills it: one API key per role with a random secret (only its SHA-256 in
 * the file; the merchant key covers `merchantId` only), an encryption keys file with one random AES-256 key,
 * the webhook subscriptions when given, and copies of the certificates and keys. Files are 0400 and, with `owner`, belong to the service user,
 * like mounted secrets.
 */
export function writeProductionSecrets(dir: string, options: { certDir: string; merchantId: string; owner?: ServiceUser; webhooks?: string }): ProductionSecrets {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = () => randomBytes(24).toString('base64url');
  const keys: ScenarioKeys = { admin: secret(), supervisor: secret(), agent: secret(), channel: secret(), merchant: secret() };
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const apiKeys = [
    { id: 'ops-admin', role: 'admin', merchants: '*', secretSha256: sha256(keys.admin) },
    { id: 'cs-lead', role: 'supervisor', merchants: '*', secretSha256: sha256(keys.supervisor) },
    { id: 'cs-desk', role: 'agent', merchants: '*', secretSha256: sha256(keys.agent) },
    { id: 'oms-channel', role: 'channel', merchants: '*', secretSha256: sha256(keys.channel) },
    { id: `merchant-${options.merchantId}`, role: 'merchant', merchants: [options.merchantId], secretSha256: sha256(keys.merchant) },
  ];
  const files: string[] = [];
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    files.push(file);
    return file;
  };
  const copy = (from: string, name: string) => {
    const file = path.join(dir, name);
    copyFileSync(path.join(options.certDir, from), file);
    files.push(file);
    return file;
  };
  const secrets: ProductionSecrets = {
    dir,
    apiKeysFile: write('api-keys.json', JSON.stringify(apiKeys)),
    encryptionKeysFile: write('encryption-keys.json', JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } })),
    ...(options.webhooks !== undefined ? { webhooksFile: write('webhooks.json', options.webhooks) } : {}),
    keys,
    temporalCaFile: copy('ca.pem', 'temporal-ca.pem'),
    temporalCertFile: copy('client.pem', 'temporal-client.pem'),
    temporalKeyFile: copy('client.key', 'temporal-client.key'),
    httpsCertFile: copy('server.pem', 'https.pem'),
    httpsKeyFile: copy('server.key', 'https.key'),
  };
  for (const file of files) {
    chmodSync(file, 0o400);
    if (options.owner) chownSync(file, options.owner.uid, options.owner.gid);
  }
  if (options.owner) chownSync(dir, options.owner.uid, options.owner.gid);
  return secrets;
}

export interface NodeService {
  name: string;
  /** The node process itself (no wrapper): a signal to it is a signal to the service. */
  pid: number;
  output(): string;
  /** Resolves when the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the output contains `text`; rejects if the process ends first or after `timeoutMs`. */
  waitForOutput(text: string | RegExp, timeoutMs: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, SIGKILL after 15 s; resolves once gone. */
  stop(): Promise<void>;
}

export interface NodeServiceOptions {
  cwd: string;
  /** The whole environment: nothing of the test process leaks in. */
  env: Record<string, string>;
  user?: ServiceUser;
}

/**
 * Starts `command` (e.g. `["node", "node_modules/x/dist/main.js"]`) as the process itself, under `user`
 * when given, output kept in memory. A watchdog kills it if the test process dies without stopping it.
 */
export function startNodeService(name: string, command: string[], options: NodeServiceOptions): NodeService {
  let output = '';
  const child: ChildProcess = spawn(command[0], command.slice(1), {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}`;
      ended = { code: null, signal: null };
      resolve(ended);
    });
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    });
  });
  const watchdog = child.pid ? startWatchdog(child.pid) : undefined;
  const killOnExit = () => {
    if (!ended) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  void exited.then(() => {
    process.off('exit', killOnExit);
    watchdog?.kill('SIGKILL');
    for (const listener of listeners) listener();
  });

  return {
    name,
    pid: child.pid ?? 0,
    output: () => output,
    exited,
    waitForOutput(text, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const matches = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
        const timer = setTimeout(() => finish(new Error(`${name}: no "${String(text)}" within ${timeoutMs} ms:\n${output.slice(-4_000)}`)), timeoutMs);
        const check = () => {
          if (matches()) finish();
          else if (ended) finish(new Error(`${name} ended (${ended.signal ?? `exit code ${ended.code}`}) before "${String(text)}":\n${output.slice(-4_000)}`));
        };
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    async kill(signal) {
      if (!ended) child.kill(signal);
      await exited;
    },
    async stop() {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `command` to its end (at most `timeoutMs`, then SIGKILL): exit code, signal and output. */
export async function runToExit(command: string[], options: NodeServiceOptions, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const service = startNodeService(command.join(' '), command, options);
  const timer = setTimeout(() => void service.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await service.exited;
  clearTimeout(timer);
  return { code, signal, output: service.output() };
}

/** A tiny `sh` blocked on a pipe from this process: when this process dies in any way, it kills `pid`. */
function startWatchdog(pid: number): ChildProcess | undefined {
  const watchdog = spawn('sh', ['-c', 'cat >/dev/null; kill -s KILL "$1" 2>/dev/null', 'cs-cases-service-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as net.Socket | null)?.unref();
  return watchdog;
}
