/**
 * The `orderIssue` section of a policy (售中/异常订单): how long the customer is asked to wait for a parcel
 * whose tracking shows nothing (trackingWait), how long a carrier has to answer an inquiry or claim
 * (carrierResponse), and how long the customer has to choose a remedy (customerChoice). Silence past each
 * one takes the customer-protective default of the manuals.
 */
import type { DurationSpec } from '../../clock/duration';
import type { WarningRule } from '../../clock/warning';

export const ORDER_ISSUE_DEADLINES = ['trackingWait', 'carrierResponse', 'customerChoice'] as const;
export type OrderIssueDeadlineName = (typeof ORDER_ISSUE_DEADLINES)[number];

export interface OrderIssuePolicy {
  deadlines: Record<OrderIssueDeadlineName, DurationSpec>;
  /** When the owner is warned before a staff deadline breaches (default: 80% of the budget elapsed). */
  warning?: WarningRule;
  /** Whether the customer is surveyed after close (default: yes). */
  survey?: boolean;
}

/** The section as a policy stores it: what the policy sets (deadlines by name); the rest comes from the defaults. */
export type OrderIssueSection = Partial<Omit<OrderIssuePolicy, 'deadlines'>> & { deadlines?: Partial<OrderIssuePolicy['deadlines']> };

/**
 * Product defaults: a parcel without movement is traced again after 48 h (marketplaces treat 72 h without a
 * scan as abnormal); carriers answer claims within 3 days; a customer chooses a remedy within 48 h.
 */
export const ORDER_ISSUE_DEFAULTS: Required<OrderIssuePolicy> = {
  deadlines: {
    trackingWait: { amount: 48, unit: 'hours' },
    carrierResponse: { amount: 72, unit: 'hours' },
    customerChoice: { amount: 48, unit: 'hours' },
  },
  warning: { percentElapsed: 80 },
  survey: true,
};

/** The section with every setting filled: the policy's own values over the defaults, deadlines by name. */
export function orderIssueSettings(section: OrderIssueSection | undefined): Required<OrderIssuePolicy> {
  const own = section ?? {};
  return {
    deadlines: { ...ORDER_ISSUE_DEFAULTS.deadlines, ...(own.deadlines ?? {}) },
    warning: own.warning ?? ORDER_ISSUE_DEFAULTS.warning,
    survey: own.survey ?? ORDER_ISSUE_DEFAULTS.survey,
  };
}

/**
 * Problems with the section's settings (deadlines are checked with every section's), as sentences. The
 * section is read as untrusted: a published document or stored policy reaches here before any check.
 */
export function orderIssueSettingsProblems(section: Readonly<Record<string, unknown>>): string[] {
  const { survey } = section;
  return survey !== undefined && typeof survey !== 'boolean' ? ['orderIssue.survey must be true or false'] : [];
}
