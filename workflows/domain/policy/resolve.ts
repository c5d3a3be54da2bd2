/**
 * Policy resolution. A custom policy is published as a partial document that `extends` a preset or
 * another policy; at publish time it is merged over its parent's resolved content (section by section:
 * deadlines by name, each setting replaced whole), so every stored version is a complete, frozen `Policy`
 * and a case pins it by value. Reading a policy then never walks a chain that may have changed since.
 */
import { canonicalJson } from '../canonical-json';
import { POLICY_PRESETS, isPresetId } from './presets';
import type { DurationSpec } from '../clock/duration';
import type { WarningRule } from '../clock/warning';
import { RETIRED_AFTER_SALE_DEADLINES, type AfterSaleDeadlineName, type AfterSalePolicy } from './sections/after-sale';
import type { Policy } from './types';
import { POLICY_SECTIONS, type PolicySection } from './validate';

/** Any section as the merge sees it: deadlines by name, every other setting replaced whole. */
interface SectionWithDeadlines {
  deadlines: Record<string, DurationSpec>;
  [setting: string]: unknown;
}

/** What an admin PUTs: every field optional but `name`; the parent fills the rest. */
export interface PolicyDocument {
  name: string;
  description?: string;
  extends?: string;
  sources?: Record<string, string>;
  defaultCalendar?: string;
  warning?: WarningRule;
  afterSale?: { deadlines?: Partial<Record<AfterSaleDeadlineName, DurationSpec>> } & Partial<Omit<AfterSalePolicy, 'deadlines'>>;
  inquiry?: { deadlines?: Record<string, DurationSpec> };
  orderIssue?: { deadlines?: Record<string, DurationSpec> };
  complaint?: { deadlines?: Record<string, DurationSpec>; [setting: string]: unknown };
  survey?: { deadlines?: Record<string, DurationSpec>; [setting: string]: unknown };
}

/** One published version as the registry keeps it. */
export interface PolicyVersionRecord {
  version: number;
  publishedAt: number;
  publishedBy: string;
  /** The complete policy cases pin (id and version included). */
  policy: Policy;
  /** The document as published (what `extends` left out is in `policy`). */
  document: PolicyDocument;
}

/** Where stored (custom) policy versions come from: the registry workflows, or a map in tests. */
export type PolicyVersionSource = (id: string, version?: number) => Promise<PolicyVersionRecord | null>;

/**
 * The policy `id` at `version` (latest when absent) as a complete `Policy`, or null when unknown.
 * Presets answer only their own version.
 */
export async function resolvePolicy(id: string, version: number | undefined, source: PolicyVersionSource): Promise<Policy | null> {
  if (isPresetId(id)) {
    const preset = POLICY_PRESETS[id];
    return version === undefined || version === preset.version ? preset : null;
  }
  const record = await source(id, version);
  return record ? record.policy : null;
}

/**
 * Nothing to inherit from: a document without `extends` must state everything itself. The holes here are
 * deliberate; `policyProblems` names each one that the document leaves open.
 */
const NOTHING_INHERITED = {
  id: '', version: 0, name: '', defaultCalendar: undefined, warning: undefined,
  afterSale: { deadlines: {}, authorityLimit: undefined, noReasonReturn: undefined },
} as unknown as Policy;

/** A document merged over its parent's complete content (or over nothing): the new version, unnumbered. */
export function mergePolicyDocument(id: string, document: PolicyDocument, parentPolicy: Policy | null): Omit<Policy, 'version'> {
  const parent = parentPolicy ?? NOTHING_INHERITED;
  const overridden: string[] = [];
  const { deadlines: ownAfterSaleDeadlines, ...ownAfterSaleSettings } = document.afterSale ?? {};
  const afterSaleSettings = definedOnly(ownAfterSaleSettings as Record<string, unknown>);
  const merged: Omit<Policy, 'version'> = {
    id,
    name: document.name,
    ...(document.description !== undefined ? { description: document.description } : {}),
    ...(document.extends !== undefined ? { extends: document.extends } : {}),
    defaultCalendar: document.defaultCalendar ?? parent.defaultCalendar,
    // Calendars the parent carries by value stay with the child (custom ones are embedded at publish).
    ...(parent.calendars ? { calendars: parent.calendars } : {}),
    warning: document.warning ?? parent.warning,
    // Each after-sale setting (authorityLimit, noReasonReturn, ...) is replaced whole; deadlines by name.
    afterSale: {
      ...parent.afterSale,
      ...afterSaleSettings,
      deadlines: { ...withoutRetired(parent.afterSale.deadlines), ...definedOnly(ownAfterSaleDeadlines) },
    },
  };
  if (document.defaultCalendar !== undefined) overridden.push('defaultCalendar');
  if (document.warning !== undefined) overridden.push('warning');
  for (const setting of Object.keys(afterSaleSettings)) overridden.push(`afterSale.${setting}`);
  for (const name of Object.keys(definedOnly(ownAfterSaleDeadlines))) overridden.push(`afterSale.deadlines.${name}`);

  for (const section of POLICY_SECTIONS) {
    if (section === 'afterSale') continue;
    let mergedSection = mergeSection(parent[section] as SectionWithDeadlines | undefined, document[section]);
    if (section === 'complaint' && mergedSection) mergedSection = ownTargetsApply(mergedSection, document.complaint);
    if (mergedSection) (merged as Record<string, unknown>)[section] = mergedSection;
    for (const name of Object.keys(definedOnly(document[section]?.deadlines))) overridden.push(`${section}.deadlines.${name}`);
  }

  // A parent's source no longer explains a number this policy changed, unless the document restates it.
  const retired = RETIRED_AFTER_SALE_DEADLINES.map((name) => `afterSale.deadlines.${name}`);
  const stillTrue = (key: string) => !retired.includes(key) && !overridden.some((path) => key === path || key.startsWith(`${path}.`));
  const inherited = Object.fromEntries(Object.entries(parent.sources ?? {}).filter(([key]) => stillTrue(key)));
  const sources = { ...inherited, ...(document.sources ?? {}) };
  if (Object.keys(sources).length > 0) merged.sources = sources;
  return merged;
}

function mergeSection(parent: SectionWithDeadlines | undefined, own: PolicyDocument[Exclude<PolicySection, 'afterSale'>]): SectionWithDeadlines | undefined {
  if (!parent && !own) return undefined;
  // Settings other than deadlines (complaint targets, survey reminders, ...) are replaced whole, like afterSale's.
  const { deadlines: ownDeadlines, ...ownSettings } = (own ?? {}) as SectionWithDeadlines;
  return { ...(parent ?? {}), ...definedOnly(ownSettings), deadlines: { ...(parent?.deadlines ?? {}), ...definedOnly(ownDeadlines) } };
}

/**
 * A document that sets complaint `deadlines.firstResponse` or `.resolution` without its own `targets` means
 * that number for every priority: the per-priority targets inherited from the parent (which would win over
 * it) lose that name, so the value set is the value cases get. Targets the document states itself still
 * win, priority by priority (a priority without its own falls back to the deadline).
 */
function ownTargetsApply(merged: SectionWithDeadlines, own: PolicyDocument['complaint']): SectionWithDeadlines {
  const set = (['firstResponse', 'resolution'] as const).filter((name) => own?.deadlines?.[name] !== undefined);
  const inherited = merged.targets as Record<string, Record<string, unknown> | undefined> | undefined;
  if (set.length === 0 || own?.targets !== undefined || !inherited) return merged;
  const targets = Object.fromEntries(Object.entries(inherited).flatMap(([priority, target]) => {
    const left = Object.fromEntries(Object.entries(target ?? {}).filter(([name]) => !(set as readonly string[]).includes(name)));
    return Object.keys(left).length > 0 ? [[priority, left]] : [];
  }));
  return { ...merged, targets };
}

/** A parent's deadlines without the names no step opens any more (a parent pinned before they retired). */
function withoutRetired<D extends Record<string, unknown>>(deadlines: D): D {
  return Object.fromEntries(Object.entries(deadlines).filter(([name]) => !(RETIRED_AFTER_SALE_DEADLINES as readonly string[]).includes(name))) as D;
}

function definedOnly<T>(record: Partial<Record<string, T>> | undefined): Record<string, T> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([, v]) => v !== undefined)) as Record<string, T>;
}

/** Whether two policies say the same thing (the version number aside): identical content publishes nothing. */
export function samePolicyContent(a: Omit<Policy, 'version'> & { version?: number }, b: Omit<Policy, 'version'> & { version?: number }): boolean {
  const { version: _a, ...contentA } = a;
  const { version: _b, ...contentB } = b;
  return canonicalJson(contentA) === canonicalJson(contentB);
}
