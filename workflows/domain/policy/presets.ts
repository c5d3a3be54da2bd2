/**
 * Built-in policy presets. Each number states its source or is marked a product default. Presets are
 * read-only: custom policies `extends` them and are versioned in the policy registry workflow.
 */
import type { Policy } from './types';
import { CN_MARKETPLACE } from './presets/cn-marketplace';
import { CN_7DAY_LAW } from './presets/cn-7day-law';
import { CN_JD_DISPUTE } from './presets/cn-jd-dispute';
import { EU_14DAY } from './presets/eu-14day';
import { AMAZON_30DAY } from './presets/amazon-30day';

export { CN_MARKETPLACE, CN_7DAY_LAW, CN_JD_DISPUTE, EU_14DAY, AMAZON_30DAY };

export const POLICY_PRESETS: Record<string, Policy> = Object.fromEntries(
  [CN_MARKETPLACE, CN_7DAY_LAW, CN_JD_DISPUTE, EU_14DAY, AMAZON_30DAY].map((preset) => [preset.id, preset]),
);

export const DEFAULT_POLICY_ID = CN_MARKETPLACE.id;

export function isPresetId(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(POLICY_PRESETS, id);
}
