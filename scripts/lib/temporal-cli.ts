/**
 * Finds a Temporal CLI (the dev server lives in it) or builds one: a `temporal` on PATH, else the build in
 * the per-user cache, else a one-time `go install` of a pinned version into that cache (see go-build.ts),
 * so fresh clones and CI runs on a machine share it.
 */
import {
  type GoBinarySpec,
  cacheDir,
  cachedGoBinaryPath,
  findOnPath,
  findOrBuildGoBinary,
  isExecutableFile,
  run,
} from './go-build';

export { type Log, cacheDir, findOnPath, formatDuration, isAlive } from './go-build';
import type { Log } from './go-build';

/**
 * Later tags add a `replace` directive to their go.mod, and `go install pkg@version` refuses modules with
 * one: v1.5.1 (Temporal Server 1.29) is the newest that installs this way.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export const TEMPORAL_CLI_BUILD: GoBinarySpec = {
  label: `Temporal CLI ${TEMPORAL_CLI_VERSION} (the dev server lives in it)`,
  pkg: 'github.com/temporalio/cli/cmd/temporal',
  version: TEMPORAL_CLI_VERSION,
  binaryName: 'temporal',
  cacheFolder: `temporal-${TEMPORAL_CLI_VERSION}`,
  env: { CGO_ENABLED: '0' },
  isWorking: async (file) => (await temporalCliVersion(file)) !== undefined,
  estimate: 'several minutes (about 4-10 on a fresh machine)',
  withoutGoHint:
    'install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH, or set TEMPORAL_ADDRESS ' +
    'to a running Temporal server',
};

/** Where the pinned build lives (it may not exist yet). */
export function cachedTemporalCliPath(dir: string = cacheDir()): string {
  return cachedGoBinaryPath(TEMPORAL_CLI_BUILD, dir);
}

/** The version a `temporal` binary reports (`1.5.1`, or `0.0.0-DEV` for a source build), or undefined. */
export async function temporalCliVersion(cliPath: string): Promise<string | undefined> {
  if (!(await isExecutableFile(cliPath))) return undefined;
  const output = await run(cliPath, ['--version']);
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
  return findOrBuildGoBinary(TEMPORAL_CLI_BUILD, { log });
}

function isSupportedVersion(version: string): boolean {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  // `go install` builds carry no release version: they report 0.0.0-DEV, and are ours to trust.
  return major >= 1 || /-DEV$/i.test(version);
}
