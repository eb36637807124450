/**
 * Typed keys of the service's search attributes (names and types in contract.ts), for the
 * workflow's upserts and for the API's `typedSearchAttributes` / visibility queries.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SearchAttribute } from './contract.js';

export const StatusKey = defineSearchAttributeKey(SearchAttribute.Status, SearchAttributeType.KEYWORD);
export const GroupsKey = defineSearchAttributeKey(SearchAttribute.Groups, SearchAttributeType.KEYWORD_LIST);
export const BlueprintKey = defineSearchAttributeKey(SearchAttribute.Blueprint, SearchAttributeType.KEYWORD);
export const TenantKey = defineSearchAttributeKey(SearchAttribute.Tenant, SearchAttributeType.KEYWORD);
export const DeadlineKey = defineSearchAttributeKey(SearchAttribute.Deadline, SearchAttributeType.DATETIME);
