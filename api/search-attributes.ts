/** The approval workflow's search attributes as the API reads and writes them, and visibility-query quoting. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SearchAttribute } from '../workflows/contract.js';

export const SA = {
  status: defineSearchAttributeKey(SearchAttribute.Status, SearchAttributeType.KEYWORD),
  groups: defineSearchAttributeKey(SearchAttribute.Groups, SearchAttributeType.KEYWORD_LIST),
  blueprint: defineSearchAttributeKey(SearchAttribute.Blueprint, SearchAttributeType.KEYWORD),
  tenant: defineSearchAttributeKey(SearchAttribute.Tenant, SearchAttributeType.KEYWORD),
  deadline: defineSearchAttributeKey(SearchAttribute.Deadline, SearchAttributeType.DATETIME),
};

/** A visibility-query string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
