/**
 * A case as the read projection keeps it at one revision (activities/projection): the view every field of
 * which a caller may see, the actions each role may take, and what supervisors filter by. Built the same way
 * by the workflow at each event hand-off (case-runtime.ts) and by the API from a new case's opening state.
 */
import { ROLES, type Actor, type Role } from './domain/case';
import type { CaseVisibility } from './case-visibility';

export interface CaseSnapshotHandOff {
  revision: number;
  view: unknown;
  visibility: CaseVisibility;
  allowedActions: Record<Role, string[]>;
  /** The workflow has ended (past its post-close windows): no action reaches it any more. */
  finished: boolean;
}

/** `viewAs` renders the case for a viewer; the stored view is the system's, `allowedActions` come per role. */
export function caseSnapshot(c: { revision: number; visibility: CaseVisibility; finished: boolean; viewAs(viewer: Actor): unknown }): CaseSnapshotHandOff {
  const viewer = (role: Actor['role']): Actor => ({ keyId: 'projection', role, merchants: '*' });
  const allowedActions = Object.fromEntries(ROLES.map((role) => [role, (c.viewAs(viewer(role)) as { allowedActions?: string[] }).allowedActions ?? []])) as Record<Role, string[]>;
  return { revision: c.revision, view: c.viewAs(viewer('system')), visibility: c.visibility, allowedActions, finished: c.finished };
}
