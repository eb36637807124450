/**
 * The approval workflow's search attributes, declared once: their names and types (registered on
 * the namespace at start), the typed keys the workflow upserts and the API reads, and the quoting
 * of visibility-query literals. Names are on the wire: never rename one.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attribute name → type, spelled as `temporal server start-dev --search-attribute` and `tcld` take them. */
export const SEARCH_ATTRIBUTE_TYPES = {
  CountersignStatus: 'Keyword',
  CountersignGroups: 'KeywordList',
  CountersignBlueprint: 'Keyword',
  CountersignTenant: 'Keyword',
  CountersignDeadline: 'Datetime',
  CountersignAgent: 'Keyword',
  CountersignEligible: 'KeywordList',
} as const;

/** The names, for visibility queries (`CountersignStatus = "pending"`). */
export const SearchAttribute = {
  Status: 'CountersignStatus',
  Groups: 'CountersignGroups',
  Blueprint: 'CountersignBlueprint',
  Tenant: 'CountersignTenant',
  Deadline: 'CountersignDeadline',
  /** The submitting agent: agents list their own. */
  Agent: 'CountersignAgent',
  /** Approver ids who may decide now (grows on escalation): approvers list what they may decide. */
  Eligible: 'CountersignEligible',
} as const satisfies Record<string, keyof typeof SEARCH_ATTRIBUTE_TYPES>;

/** Typed keys for `upsertSearchAttributes`, `typedSearchAttributes` and `WorkflowExecutionInfo`. */
export const SearchAttributeKey = {
  Status: defineSearchAttributeKey(SearchAttribute.Status, SearchAttributeType.KEYWORD),
  Groups: defineSearchAttributeKey(SearchAttribute.Groups, SearchAttributeType.KEYWORD_LIST),
  Blueprint: defineSearchAttributeKey(SearchAttribute.Blueprint, SearchAttributeType.KEYWORD),
  Tenant: defineSearchAttributeKey(SearchAttribute.Tenant, SearchAttributeType.KEYWORD),
  Deadline: defineSearchAttributeKey(SearchAttribute.Deadline, SearchAttributeType.DATETIME),
  Agent: defineSearchAttributeKey(SearchAttribute.Agent, SearchAttributeType.KEYWORD),
  Eligible: defineSearchAttributeKey(SearchAttribute.Eligible, SearchAttributeType.KEYWORD_LIST),
} as const;

/** A visibility-query string literal: `"pending"`, with `\` and `"` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
