/**
 * Installs a Debian package a test needs (docker-compose, chromium) when it is missing: the test command
 * runs as root on these machines, so nothing has to be installed by hand. Idempotent.
 */
import { execFileSync } from 'node:child_process';

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureDebianPackage(command: string, pkg: string = command): void {
  if (onPath(command)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { stdio: 'ignore', env, timeout: 600_000 });
  if (!onPath(command)) throw new Error(`installing ${pkg} did not provide ${command}`);
}
