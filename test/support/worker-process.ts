/**
 * The bundled worker (worker/main.ts) as a child process, so fault tests can SIGKILL it mid-refund or
 * mid-workflow-task and start it again, exactly as a crash and a restart would happen in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  pid: number;
  /** Resolves once the worker says it polls. */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  let output = '';
  // node itself with tsx as a loader: the child IS the worker, so a SIGKILL really kills it (the tsx CLI
  // would run the worker in a grandchild that survives its parent's death).
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    env: { ...process.env, WORKER_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling task queue')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before polling:\n${output}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    ready,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
