/**
 * The custom search attributes cs-cases registers on every Temporal server it uses: the single list the
 * provisioning code (dev server, worker start, tests) reads. The workflows define their own typed keys
 * with the same names and types; a name or type that differs fails the workflow task, so keep them equal.
 *
 * SQL/SQLite visibility has few slots per type (about 3 for Int, Bool, Datetime): only what needs range
 * queries gets a non-Keyword type. No personal data ever goes into a search attribute (never encrypted).
 */
import { SearchAttributeType } from '@temporalio/common';

export interface SearchAttributeDefinition {
  readonly name: string;
  readonly type: SearchAttributeType;
}

export const CASE_SEARCH_ATTRIBUTES: readonly SearchAttributeDefinition[] = [
  { name: 'CaseKind', type: SearchAttributeType.KEYWORD },
  { name: 'CaseStatus', type: SearchAttributeType.KEYWORD },
  { name: 'CasePriority', type: SearchAttributeType.KEYWORD },
  { name: 'OwnerRole', type: SearchAttributeType.KEYWORD },
  { name: 'MerchantId', type: SearchAttributeType.KEYWORD },
  { name: 'PolicyId', type: SearchAttributeType.KEYWORD },
  { name: 'OrderId', type: SearchAttributeType.KEYWORD },
  { name: 'CaseOutcome', type: SearchAttributeType.KEYWORD },
  { name: 'EscalationLevel', type: SearchAttributeType.INT },
  { name: 'SlaBreached', type: SearchAttributeType.BOOL },
  { name: 'NextDeadline', type: SearchAttributeType.DATETIME },
];

/** The type names the Temporal CLI (`--search-attribute Name=Type`) and tctl-style tools use. */
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export function cliSearchAttributeType(type: SearchAttributeType): string {
  return CLI_TYPE_NAMES[type];
}

/** `Name=Type` pairs, as `temporal server start-dev --search-attribute` and admin tools take them. */
export function cliSearchAttributePairs(
  attributes: readonly SearchAttributeDefinition[] = CASE_SEARCH_ATTRIBUTES,
): string[] {
  return attributes.map(({ name, type }) => `${name}=${cliSearchAttributeType(type)}`);
}
