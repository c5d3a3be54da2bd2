/**
 * Published documents (policies, calendars, selection rules) read through the case projection: a create
 * needs its policy and calendars even with every worker stopped. Each publish through this API records
 * its version there; a version the projection lacks (published before it existed) is asked of its
 * registry workflow once and recorded. Without a projection every read asks the registry.
 */
import type { ApiContext } from './context';

export async function readThrough<T extends { version: number }>(
  ctx: ApiContext, kind: string, id: string, version: number | undefined, fromRegistry: () => Promise<T | null>,
): Promise<T | null> {
  const projection = ctx.projection;
  if (projection) {
    const recorded = await projection.readDocument<T>(kind, id, version).catch(() => null);
    if (recorded) return recorded;
  }
  const found = await fromRegistry();
  if (found && projection) await projection.recordDocument(kind, id, found).catch(() => undefined);
  return found;
}

/** After a publish answered: its version is what reads get from now on. */
export async function recordPublished(ctx: ApiContext, kind: string, id: string, record: { version: number }): Promise<void> {
  await ctx.projection?.recordDocument(kind, id, record).catch(() => undefined);
}

/**
 * Every version of a document from the projection when it holds them all (1 … n without a gap: each publish
 * through this API records its version), else null: the caller asks the registry.
 */
export async function recordedVersions<T extends { version: number }>(ctx: ApiContext, kind: string, id: string): Promise<T[] | null> {
  const versions = await ctx.projection?.documentVersions<T>(kind, id).catch(() => null);
  if (!versions || versions.length === 0) return null;
  return versions.every((v, i) => v.version === i + 1) ? versions : null;
}
