/**
 * What the one registry workflow (workflows/document-registry.ts) needs to know per kind of versioned
 * document: which content is valid, when a publish changes nothing, how a version is stamped into the
 * content, and what the registry shows in its memo (no personal data: documents are configuration).
 * Policies (`policy`), business calendars (`calendar`) and the policy-selection rules (`policy-selection`).
 */
import { canonicalJson } from './canonical-json';
import { validateCalendar } from './clock';
import type { Policy } from './policy/types';
import { samePolicyContent, type PolicyDocument } from './policy/resolve';
import { policyProblems } from './policy/validate';
import { selectionRuleProblems } from './policy/select';

export const DOCUMENT_KINDS = ['calendar', 'policy-selection', 'policy'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A policy as its registry keeps it: the resolved policy (its version stamped in) and the document as published. */
export interface PolicyContent {
  policy: Omit<Policy, 'version'> & { version?: number };
  document: PolicyDocument;
}

export interface DocumentKindRules {
  problems(content: unknown, documentId: string): string[];
  same(current: unknown, next: unknown): boolean;
  stamp(content: unknown, version: number): unknown;
  memo(content: unknown, documentId: string, version: number): Record<string, unknown>;
}

const plain = (problems: (content: unknown) => string[]): DocumentKindRules => ({
  problems,
  same: (a, b) => canonicalJson(a) === canonicalJson(b),
  stamp: (content) => content,
  memo: (_content, documentId, version) => ({ documentId, latestVersion: version }),
});

export const DOCUMENT_KIND_RULES: Record<DocumentKind, DocumentKindRules> = {
  calendar: plain(validateCalendar),
  'policy-selection': plain(selectionRuleProblems),
  policy: {
    problems(content, documentId) {
      const policy = (content as Partial<PolicyContent> | null)?.policy;
      if (!policy || typeof policy !== 'object') return ['a policy document needs its resolved policy'];
      const problems = policyProblems(policy as Policy);
      if (policy.id !== documentId) problems.unshift(`policy id ${String(policy.id)} does not belong to registry ${documentId}`);
      return problems;
    },
    same: (a, b) => samePolicyContent((a as PolicyContent).policy, (b as PolicyContent).policy),
    stamp: (content, version) => ({ ...(content as PolicyContent), policy: { ...(content as PolicyContent).policy, version } }),
    memo: (content, documentId, version) => ({ documentId, policyName: (content as PolicyContent).policy.name, latestVersion: version }),
  },
};
