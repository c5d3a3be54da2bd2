/**
 * The custom search attributes supervisors filter by in the Temporal UI. No personal data ever goes
 * here: attributes are not encrypted. Keep in sync with worker/namespace-setup.ts (registration);
 * SQLite visibility has few Int/Bool/Datetime slots, so only range-queried values use them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const CasePriority = defineSearchAttributeKey('CasePriority', SearchAttributeType.KEYWORD);
export const OwnerRole = defineSearchAttributeKey('OwnerRole', SearchAttributeType.KEYWORD);
export const MerchantId = defineSearchAttributeKey('MerchantId', SearchAttributeType.KEYWORD);
export const PolicyId = defineSearchAttributeKey('PolicyId', SearchAttributeType.KEYWORD);
export const OrderId = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const CaseOutcome = defineSearchAttributeKey('CaseOutcome', SearchAttributeType.KEYWORD);
export const EscalationLevel = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT);
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
/** Webhook deliveries (workflows/webhook-delivery.ts): `delivering`, `parked` (admins re-deliver), `done`. */
export const DeliveryState = defineSearchAttributeKey('DeliveryState', SearchAttributeType.KEYWORD);
