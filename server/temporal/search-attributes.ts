/**
 * Registering the service's custom search attributes on a Temporal namespace (for clusters started
 * elsewhere, e.g. TEMPORAL_ADDRESS; the embedded dev server gets them with `--search-attribute`).
 */
import type { Connection } from '@temporalio/client';
import { TemporalSearchAttributeConflictError, TemporalServerUnreachableError } from './errors.js';

/** Search attribute types, spelled as `temporal server start-dev --search-attribute` accepts them. */
export type SearchAttributeTypeName = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/** Search attribute name → type. */
export type SearchAttributeTypes = Readonly<Record<string, SearchAttributeTypeName>>;

/** `temporal.api.enums.v1.IndexedValueType` numbers. */
const INDEXED_VALUE_TYPE: Record<SearchAttributeTypeName, number> = {
  Text: 1, Keyword: 2, Int: 3, Double: 4, Bool: 5, Datetime: 6, KeywordList: 7,
};
const GRPC_ALREADY_EXISTS = 6;

/**
 * Adds the attributes of `attrs` that `namespace` lacks; idempotent and safe to race with another
 * process doing the same. Returns the names it added.
 *
 * @throws {TemporalSearchAttributeConflictError} when an attribute exists with another type.
 * @throws {TemporalServerUnreachableError} when the operator API cannot be called.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, attrs: SearchAttributeTypes): Promise<string[]> {
  const existing = await listCustom(connection, namespace);
  const missing: Record<string, number> = {};
  for (const [name, type] of Object.entries(attrs)) {
    const have = existing[name];
    if (have === undefined) missing[name] = INDEXED_VALUE_TYPE[type];
    else if (have !== INDEXED_VALUE_TYPE[type]) {
      throw new TemporalSearchAttributeConflictError(
        `search attribute ${name} exists in namespace ${namespace} with another type (IndexedValueType ${have}, want ${type}); ` +
          'remove it (`temporal operator search-attribute remove`) or use another namespace.',
      );
    }
  }
  const added = Object.keys(missing);
  if (added.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (cause) {
    if ((cause as { code?: number }).code !== GRPC_ALREADY_EXISTS) {
      throw new TemporalServerUnreachableError(`could not add search attributes ${added.join(', ')} to namespace ${namespace}: ${String(cause)}`, { cause });
    }
    return ensureSearchAttributes(connection, namespace, attrs); // raced with another process: re-check types
  }
  return added;
}

async function listCustom(connection: Connection, namespace: string): Promise<Record<string, number>> {
  try {
    const response = await connection.operatorService.listSearchAttributes({ namespace });
    return (response.customAttributes ?? {}) as Record<string, number>;
  } catch (cause) {
    throw new TemporalServerUnreachableError(
      `could not list search attributes of namespace ${namespace}: ${String(cause)}; check TEMPORAL_ADDRESS and that the namespace exists.`,
      { cause },
    );
  }
}
