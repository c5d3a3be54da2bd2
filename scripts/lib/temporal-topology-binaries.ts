/**
 * The servers of the production topology, built from source like the Temporal CLI (see go-build.ts): the
 * Temporal server and its SQL schema tool (the release of the compose file's images) and the Temporal UI
 * server, plus the schema folder and UI config template that ship in their Go modules.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type GoBinarySpec, type Log, findOnPath, findOrBuildGoBinary, run } from './go-build';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_UI_SERVER_VERSION = 'v2.42.1';
const SERVER_MODULE = 'go.temporal.io/server';
const UI_SERVER_MODULE = 'github.com/temporalio/ui-server/v2';

const FROM_SOURCE_HINT = 'run the topology with the official container images (docker-compose.yml)';

async function answersHelp(file: string): Promise<boolean> {
  return (await run(file, ['--help'])) !== undefined;
}

export const TEMPORAL_SERVER_BUILD: GoBinarySpec = {
  label: `Temporal server ${TEMPORAL_SERVER_VERSION}`,
  pkg: `${SERVER_MODULE}/cmd/server`,
  version: TEMPORAL_SERVER_VERSION,
  binaryName: 'server',
  cacheFolder: `temporal-server-${TEMPORAL_SERVER_VERSION}`,
  env: { CGO_ENABLED: '0' },
  isWorking: answersHelp,
  estimate: 'a few minutes (about 1.5 once the Temporal CLI is built, 5-10 on a fresh machine)',
  withoutGoHint: FROM_SOURCE_HINT,
};

/** temporal-sql-tool of the admin-tools image; `go install` names it `sql`. */
export const TEMPORAL_SQL_TOOL_BUILD: GoBinarySpec = {
  label: `Temporal SQL schema tool ${TEMPORAL_SERVER_VERSION}`,
  pkg: `${SERVER_MODULE}/cmd/tools/sql`,
  version: TEMPORAL_SERVER_VERSION,
  binaryName: 'sql',
  cacheFolder: `temporal-sql-tool-${TEMPORAL_SERVER_VERSION}`,
  env: { CGO_ENABLED: '0' },
  isWorking: answersHelp,
  estimate: 'about a minute once the Temporal server is built',
  withoutGoHint: FROM_SOURCE_HINT,
};

export const TEMPORAL_UI_SERVER_BUILD: GoBinarySpec = {
  label: `Temporal UI server ${TEMPORAL_UI_SERVER_VERSION}`,
  pkg: `${UI_SERVER_MODULE}/cmd/server`,
  version: TEMPORAL_UI_SERVER_VERSION,
  binaryName: 'server',
  cacheFolder: `temporal-ui-server-${TEMPORAL_UI_SERVER_VERSION}`,
  env: { CGO_ENABLED: '0' },
  isWorking: answersHelp,
  estimate: 'under a minute once the Temporal server is built, a few on a fresh machine',
  withoutGoHint: FROM_SOURCE_HINT,
};

export function findOrBuildTemporalServer(log?: Log): Promise<string> {
  return findOrBuildGoBinary(TEMPORAL_SERVER_BUILD, { log });
}

export function findOrBuildTemporalSqlTool(log?: Log): Promise<string> {
  return findOrBuildGoBinary(TEMPORAL_SQL_TOOL_BUILD, { log });
}

export function findOrBuildTemporalUiServer(log?: Log): Promise<string> {
  return findOrBuildGoBinary(TEMPORAL_UI_SERVER_BUILD, { log });
}

/**
 * Folder of `module@version` in Go's module cache (`go env GOMODCACHE`), downloading the module when it is
 * not there yet (`go mod download`). Its files are read-only: copy before editing.
 */
export async function goModuleDir(module: string, version: string): Promise<string> {
  const go = await findOnPath('go');
  if (!go) throw new Error(`Cannot locate ${module}@${version}: no Go toolchain (\`go\`) on PATH.`);
  const modCache = (await run(go, ['env', 'GOMODCACHE']))?.trim();
  if (modCache) {
    const dir = path.join(modCache, escapeModulePath(module) + `@${version}`);
    if (await isDirectory(dir)) return dir;
  }
  // Outside any go.mod: a module-mode download of exactly this version.
  const output = await new Promise<string | undefined>((resolve) => {
    execFile(go, ['mod', 'download', '-json', `${module}@${version}`], { cwd: os.tmpdir(), timeout: 600_000, maxBuffer: 16 << 20 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
  const dir = output ? (JSON.parse(output) as { Dir?: string }).Dir : undefined;
  if (!dir || !(await isDirectory(dir))) throw new Error(`Could not find or download ${module}@${version} into Go's module cache.`);
  return dir;
}

/** `<server module>/schema/postgresql/v12`: holds `temporal/versioned` and `visibility/versioned`. */
export async function temporalPostgresSchemaDir(): Promise<string> {
  const dir = path.join(await goModuleDir(SERVER_MODULE, TEMPORAL_SERVER_VERSION), 'schema', 'postgresql', 'v12');
  for (const sub of ['temporal/versioned', 'visibility/versioned']) {
    if (!(await isDirectory(path.join(dir, sub)))) throw new Error(`The Temporal server module has no ${sub} under ${dir}.`);
  }
  return dir;
}

/** `<server module>/config`: the stock configurations (development-postgres12.yaml, docker.yaml, …). */
export async function temporalServerConfigDir(): Promise<string> {
  return path.join(await goModuleDir(SERVER_MODULE, TEMPORAL_SERVER_VERSION), 'config');
}

/** The UI server's `config/docker.yaml`: the template the temporalio/ui image runs with, driven by env vars. */
export async function temporalUiConfigTemplate(): Promise<string> {
  const file = path.join(await goModuleDir(UI_SERVER_MODULE, TEMPORAL_UI_SERVER_VERSION), 'config', 'docker.yaml');
  await fs.access(file);
  return file;
}

/** Go's module cache spells upper-case letters as `!` + lower case. */
function escapeModulePath(module: string): string {
  return module.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await fs.stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}
