/**
 * Reading a case for a caller from the projection, with read-your-writes by revision: this API remembers
 * the revision each key's last action (or create) answered per case, and a read waits briefly for the
 * projection to reach it; a read that asks for `minRevision` does the same. When the projection has no row
 * or stays behind, the caller falls back to the workflow itself (a Query: needs a worker, else 503).
 */
import type { CaseProjection, ProjectedCase } from '../activities/projection';

/** How long a read waits for the projection to catch up with a write before asking the workflow. */
export const READ_YOUR_WRITES_WAIT_MS = 1_500;
/**
 * A revision this far ahead of the projection is not one hand-off away (an action moves a case a few
 * revisions): the workflow is asked at once instead of waiting.
 */
const CATCH_UP_REVISIONS = 50;
const POLL_MS = 25;
const REMEMBERED_WRITES = 10_000;

/** The last revision answered per (key, case), bounded (oldest forgotten first). */
export class RecentWrites {
  private readonly revisions = new Map<string, number>();

  note(keyId: string, caseId: string, revision: number | undefined): void {
    if (revision === undefined) return;
    const id = `${keyId}\u0000${caseId}`;
    const known = this.revisions.get(id);
    this.revisions.delete(id);
    this.revisions.set(id, Math.max(revision, known ?? -1));
    if (this.revisions.size > REMEMBERED_WRITES) this.revisions.delete(this.revisions.keys().next().value!);
  }

  revisionFor(keyId: string, caseId: string): number | undefined {
    return this.revisions.get(`${keyId}\u0000${caseId}`);
  }
}

/**
 * The case as projected at `minRevision` or later; null when the projection has no such row within the
 * wait (or cannot be read): the caller then asks the workflow. No wait when the revision cannot come by
 * waiting: the workflow has ended, the revision is far ahead, or no case of that id exists (`exists`).
 */
export async function readProjectedCase(
  projection: CaseProjection, caseId: string, minRevision: number, exists: () => Promise<boolean> = async () => true, waitMs = READ_YOUR_WRITES_WAIT_MS,
): Promise<ProjectedCase | null> {
  const until = Date.now() + waitMs;
  try {
    if (minRevision >= 0) {
      let first = true;
      for (;;) {
        const held = await projection.revisionOf(caseId);
        if (held && held.revision >= minRevision) break;
        if (held && (held.finished || minRevision - held.revision > CATCH_UP_REVISIONS)) return null;
        if (!held && first && !(await exists())) return null;
        first = false;
        if (Date.now() >= until) return null;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
    const row = await projection.read(caseId);
    return row && row.revision >= minRevision ? row : null;
  } catch {
    // The projection's database is down: the workflow may still answer.
    return null;
  }
}
