/**
 * Makes a Temporal namespace fit for the case workflows: the custom search attributes they upsert
 * (registered idempotently, then verified: an unknown attribute fails workflow tasks and the case sticks)
 * and a retention that keeps closed cases readable. The bundled worker, the embedded default, the tests
 * and embedders (exported by the package) all call these; the admin scripts register the same list.
 *
 * SQL/SQLite visibility has few slots per type (about 3 for Int, Bool, Datetime): only what needs range
 * queries gets a non-Keyword type. No personal data ever goes into a search attribute (never encrypted).
 * The workflows' typed keys (workflows/search-attributes.ts) must name the same attributes and types.
 */
import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';

/** Closed cases stay readable this long (more than the default 1 day of a dev server). */
export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;
const GRPC_ALREADY_EXISTS = 6;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));


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
  // Webhook deliveries (with MerchantId): `parked` ones wait for an admin to re-deliver.
  { name: 'DeliveryState', type: SearchAttributeType.KEYWORD },
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

/**
 * Registers the search attributes missing on `namespace` (AlreadyExists from a concurrent registration is
 * fine), then verifies every one is listed with its type. Throws, naming them, when one is missing or was
 * registered with another type: an unknown attribute would fail workflow tasks and leave cases stuck.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  attributes: readonly SearchAttributeDefinition[] = CASE_SEARCH_ATTRIBUTES,
  log: (message: string) => void = () => undefined,
): Promise<void> {
  let problems = await checkSearchAttributes(connection, namespace, attributes);
  const missing = problems.filter((problem) => problem.actual === undefined);
  for (const { name, type } of missing) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [name]: encodeSearchAttributeIndexedValueType(type)! },
      });
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === GRPC_ALREADY_EXISTS)) throw error;
    }
  }
  if (missing.length > 0) {
    log(`Registered search attributes on namespace ${namespace}: ${missing.map((problem) => problem.name).join(', ')}`);
  }
  // Servers without forced cache refresh can list a new attribute a few seconds late.
  for (let deadline = Date.now() + 15_000; ; ) {
    problems = await checkSearchAttributes(connection, namespace, attributes);
    if (problems.length === 0) return;
    if (problems.some((problem) => problem.actual !== undefined) || Date.now() > deadline) break;
    await delay(500);
  }
  throw new Error(
    `Search attributes not usable on namespace ${namespace}: ` +
      problems.map((p) => `${p.name} (want ${p.type}, ${p.actual === undefined ? 'missing' : `registered as ${p.actual}`})`).join(', '),
  );
}

/** Raises the namespace's retention of closed workflows to at least `retentionDays`; never lowers it. */
export async function ensureRetention(
  connection: Connection,
  namespace: string,
  retentionDays: number = DEFAULT_RETENTION_DAYS,
  log: (message: string) => void = () => undefined,
): Promise<void> {
  const wanted = retentionDays * DAY_MS;
  const current = await retentionMs(connection, namespace);
  if (current >= wanted) return;
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(wanted) },
  });
  const after = await retentionMs(connection, namespace);
  if (after < wanted) {
    throw new Error(`Retention of namespace ${namespace} is still ${after / DAY_MS} days after asking for ${retentionDays}.`);
  }
  log(`Retention of namespace ${namespace}: ${current / DAY_MS} → ${after / DAY_MS} days`);
}

/** The namespace's retention of closed workflows, in milliseconds. */
export async function retentionMs(connection: Connection, namespace: string): Promise<number> {
  const described = await connection.workflowService.describeNamespace({ namespace });
  return tsToMs(described.config?.workflowExecutionRetentionTtl);
}

/** Custom search attributes of `namespace` by name, with their types. */
export async function listCustomSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<Map<string, SearchAttributeType | 'UNKNOWN'>> {
  const response = await connection.operatorService.listSearchAttributes({ namespace });
  const byCode = new Map(Object.values(SearchAttributeType).map((type) => [encodeSearchAttributeIndexedValueType(type), type]));
  return new Map(
    Object.entries(response.customAttributes ?? {}).map(([name, code]) => [
      name,
      byCode.get(encodeSearchAttributeIndexedValueType(code)) ?? 'UNKNOWN',
    ]),
  );
}

interface SearchAttributeProblem extends SearchAttributeDefinition {
  actual: string | undefined;
}

async function checkSearchAttributes(
  connection: Connection,
  namespace: string,
  attributes: readonly SearchAttributeDefinition[],
): Promise<SearchAttributeProblem[]> {
  const registered = await listCustomSearchAttributes(connection, namespace);
  return attributes
    .map((attribute) => ({ ...attribute, actual: registered.get(attribute.name) }))
    .filter((attribute) => attribute.actual !== attribute.type);
}
