/**
 * The `complaint` section of a policy (投诉处理): deadlines by name, per-priority first-response and
 * resolution targets, the pre-breach warning, how many rejected solutions escalate, and who may promise how
 * much money. Every number is a setting; these defaults are the product's (cn-marketplace).
 */
import type { Money } from '../../case';
import type { DurationSpec } from '../../clock/duration';
import type { WarningRule } from '../../clock/warning';

export const COMPLAINT_DEADLINES = ['firstResponse', 'resolution', 'customerDecision', 'solutionApproval', 'departmentTask', 'reopenWindow'] as const;
export type ComplaintDeadlineName = (typeof COMPLAINT_DEADLINES)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Per-priority targets; a priority without its own falls back to `deadlines.firstResponse` / `.resolution`.
 * A custom policy that sets one of those deadlines without its own targets drops the inherited targets of
 * that name at publish (resolve.ts), so the number it sets is the number its cases get.
 */
export type PriorityTargets = Partial<Record<Priority, { firstResponse?: DurationSpec; resolution?: DurationSpec }>>;

export interface ComplaintPolicy {
  deadlines: Record<ComplaintDeadlineName, DurationSpec>;
  targets?: PriorityTargets;
  /** When the owner is warned before a target breaches (default: 80% of the budget elapsed). */
  warning?: WarningRule;
  /** Rejected solutions in a row that move the complaint one tier up (default 2). */
  rejectionsBeforeEscalation?: number;
  /** The most money a proposer of each role may promise without a supervisor's approval (四眼原则). */
  authorityLimits?: { agent: Money; supervisor: Money };
}

const hours = (amount: number): DurationSpec => ({ amount, unit: 'hours' });
const minutes = (amount: number): DurationSpec => ({ amount, unit: 'minutes' });

export const COMPLAINT_DEFAULTS: Required<ComplaintPolicy> = {
  deadlines: {
    firstResponse: hours(4),
    resolution: hours(72),
    customerDecision: hours(72),
    solutionApproval: hours(24),
    departmentTask: hours(48),
    reopenWindow: { amount: 7, unit: 'calendar_days' },
  },
  // Telecom-style four-level targets: the most urgent answered within 30 minutes, solved within a day.
  targets: {
    P1: { firstResponse: minutes(30), resolution: hours(24) },
    P2: { firstResponse: hours(2), resolution: hours(48) },
    P3: { firstResponse: hours(4), resolution: hours(72) },
    P4: { firstResponse: hours(8), resolution: hours(120) },
  },
  warning: { percentElapsed: 80 },
  rejectionsBeforeEscalation: 2,
  authorityLimits: { agent: { amount: 20_000, currency: 'CNY' }, supervisor: { amount: 200_000, currency: 'CNY' } },
};

/** The section with every setting filled: the policy's own values over the defaults, deadlines by name. */
export function complaintSettings(section: Partial<ComplaintPolicy> | undefined): Required<ComplaintPolicy> {
  const own = section ?? {};
  return {
    deadlines: { ...COMPLAINT_DEFAULTS.deadlines, ...(own.deadlines ?? {}) },
    targets: own.targets ?? COMPLAINT_DEFAULTS.targets,
    warning: own.warning ?? COMPLAINT_DEFAULTS.warning,
    rejectionsBeforeEscalation: own.rejectionsBeforeEscalation ?? COMPLAINT_DEFAULTS.rejectionsBeforeEscalation,
    authorityLimits: own.authorityLimits ?? COMPLAINT_DEFAULTS.authorityLimits,
  };
}

/** Problems with the section's settings (deadlines are checked with every section's), as sentences. */
export function complaintSettingsProblems(section: Partial<ComplaintPolicy>, durationProblems: (spec: unknown) => string[]): string[] {
  const problems: string[] = [];
  for (const [priority, target] of Object.entries(section.targets ?? {})) {
    if (!(PRIORITIES as readonly string[]).includes(priority)) problems.push(`complaint.targets.${priority} is not a priority (P1-P4)`);
    for (const [name, spec] of Object.entries(target ?? {})) {
      if (name !== 'firstResponse' && name !== 'resolution') problems.push(`complaint.targets.${priority}.${name} is not a target (firstResponse, resolution)`);
      for (const p of durationProblems(spec)) problems.push(`complaint.targets.${priority}.${name}: ${p}`);
    }
  }
  const rejections = section.rejectionsBeforeEscalation;
  if (rejections !== undefined && !(Number.isInteger(rejections) && rejections >= 1)) problems.push('complaint.rejectionsBeforeEscalation must be an integer ≥ 1');
  return problems;
}
