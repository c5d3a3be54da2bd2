/**
 * Words every case kind shares: kinds, roles, tiers, actors, deadlines, timeline entries and money.
 * Pure data types and constants; times are epoch milliseconds inside, ISO-8601 only at the API edge.
 */

export const CASE_KINDS = ['inquiry', 'order_issue', 'after_sale', 'complaint'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Roles of API keys (docs/http-contract.md "Authentication and roles"). `system` acts for default outcomes. */
export const ROLES = ['channel', 'merchant', 'agent', 'supervisor', 'arbiter', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type ActorRole = Role | 'system';

/** Service tiers: L1 agent/window → L2 team lead → L3 CS manager → L4 platform or executive. */
export const TIERS = ['L1', 'L2', 'L3', 'L4'] as const;
export type Tier = (typeof TIERS)[number];

/** Who is acting: the API key's id, role and merchant scope, and the pseudonymous person behind it. */
export interface Actor {
  keyId: string;
  role: ActorRole;
  /** Merchant ids the key may act for; `*` means all. */
  merchants: string[] | '*';
  actorRef?: string;
}

export const SYSTEM_ACTOR: Actor = { keyId: 'system', role: 'system', merchants: '*' };

/** Money in integer minor units (fen for CNY). Never floating point. */
export interface Money {
  amount: number;
  currency: string;
}

export const DEADLINE_STATES = ['active', 'met', 'breached', 'cancelled'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** What happens when a deadline passes without its actor acting (docs/domain-rules.md "Silence: default outcomes"). */
export const ON_TIMEOUT = [
  'auto_approve', 'auto_close', 'auto_refund', 'escalate', 'platform_execute',
  'fallback_refund', 'resume', 'warn', 'close',
] as const;
export type OnTimeout = (typeof ON_TIMEOUT)[number];

export interface Deadline {
  name: string;
  startedAt: number;
  dueAt: number;
  /** When the pre-breach warning fires; absent when the policy asks for none. */
  warnAt?: number;
  actor: ActorRole;
  onTimeout: OnTimeout;
  state: DeadlineState;
  warnedAt?: number;
  endedAt?: number;
  /** How the budget counts (elapsed or working time), so a pause can be taken out of it exactly. */
  unit?: string;
  calendar?: string;
  /** Set while the case is suspended: the clock of this deadline stands still. */
  pausedAt?: number;
  /** Time this deadline stood still across suspensions (ms). */
  stoppedMs?: number;
}

export interface TimelineEntry {
  at: number;
  type: string;
  actor: ActorRole;
  actorRef?: string;
  data?: Record<string, unknown>;
}

export interface Owner {
  role: ActorRole;
  tier: Tier;
  assignee?: string;
}

export interface CaseLink {
  id: string;
  kind: CaseKind;
  relation: string;
}

/** Whether a key's merchant scope covers a merchant. */
export function inMerchantScope(merchants: string[] | '*', merchantId: string): boolean {
  return merchants === '*' || merchants.includes(merchantId);
}
