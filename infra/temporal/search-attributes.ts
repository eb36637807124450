/**
 * Registering the service's custom search attributes on a Temporal namespace (for clusters started
 * elsewhere, e.g. TEMPORAL_ADDRESS; the embedded dev server gets them with `--search-attribute`).
 * Where the service may not add them (Temporal Cloud: `AddSearchAttributes` is not available to a
 * namespace's API key or certificate) it only checks that they exist, and otherwise stops with the
 * exact commands an operator runs to add them.
 */
import type { Connection } from '@temporalio/client';
import { TemporalSearchAttributeConflictError, TemporalSearchAttributesMissingError, TemporalServerUnreachableError } from './errors.js';

/** Search attribute types, spelled as `temporal server start-dev --search-attribute` accepts them. */
export type SearchAttributeTypeName = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/** Search attribute name → type. */
export type SearchAttributeTypes = Readonly<Record<string, SearchAttributeTypeName>>;

/** `temporal.api.enums.v1.IndexedValueType` numbers. */
const INDEXED_VALUE_TYPE: Record<SearchAttributeTypeName, number> = {
  Text: 1, Keyword: 2, Int: 3, Double: 4, Bool: 5, Datetime: 6, KeywordList: 7,
};
const TYPE_NAME = Object.fromEntries(Object.entries(INDEXED_VALUE_TYPE).map(([name, n]) => [n, name])) as Record<number, SearchAttributeTypeName>;

/** gRPC status codes used here. */
const GRPC = { ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, UNIMPLEMENTED: 12 } as const;

/**
 * Adds the attributes of `attrs` that `namespace` lacks; idempotent and safe to race with another
 * process doing the same. Returns the names it added. When the add is refused (PERMISSION_DENIED or
 * UNIMPLEMENTED, as on Temporal Cloud) it re-lists: all present with the right types is fine (returns
 * `[]`); otherwise it throws {@link TemporalSearchAttributesMissingError} saying how to add them.
 *
 * @throws {TemporalSearchAttributeConflictError} when an attribute exists with another type.
 * @throws {TemporalSearchAttributesMissingError} when some are missing and may not be added here.
 * @throws {TemporalServerUnreachableError} when the operator API cannot be called.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, attrs: SearchAttributeTypes): Promise<string[]> {
  const missing = checkSearchAttributes(namespace, attrs, await listCustom(connection, namespace));
  const added = Object.keys(missing);
  if (added.length === 0) return [];
  const searchAttributes = Object.fromEntries(Object.entries(missing).map(([name, type]) => [name, INDEXED_VALUE_TYPE[type]]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (cause) {
    const code = grpcCode(cause);
    if (code === GRPC.ALREADY_EXISTS) return ensureSearchAttributes(connection, namespace, attrs); // raced with another process: re-check types
    if (isAddRefused(cause)) {
      // Not ours to add (e.g. Temporal Cloud). Another process or the operator may have added them meanwhile.
      requireSearchAttributes(namespace, attrs, await listCustom(connection, namespace), cause);
      return [];
    }
    throw new TemporalServerUnreachableError(`could not add search attributes ${added.join(', ')} to namespace ${namespace}: ${String(cause)}`, { cause });
  }
  return added;
}

/**
 * Compares the namespace's custom attributes (name → IndexedValueType number, as
 * `ListSearchAttributes` returns them) with `wanted`; returns the missing ones.
 * @throws {TemporalSearchAttributeConflictError} when one exists with another type.
 */
export function checkSearchAttributes(
  namespace: string,
  wanted: SearchAttributeTypes,
  existing: Readonly<Record<string, number>>,
): Record<string, SearchAttributeTypeName> {
  const missing: Record<string, SearchAttributeTypeName> = {};
  for (const [name, type] of Object.entries(wanted)) {
    const have = existing[name];
    if (have === undefined) missing[name] = type;
    else if (have !== INDEXED_VALUE_TYPE[type]) {
      throw new TemporalSearchAttributeConflictError(
        `search attribute ${name} exists in namespace ${namespace} with another type (${TYPE_NAME[have] ?? `IndexedValueType ${have}`}, want ${type}); ` +
          'remove it (`temporal operator search-attribute remove`) or use another namespace.',
      );
    }
  }
  return missing;
}

/** True for the errors by which a cluster says this caller may not add search attributes. */
export function isAddRefused(error: unknown): boolean {
  const code = grpcCode(error);
  return code === GRPC.PERMISSION_DENIED || code === GRPC.UNIMPLEMENTED;
}

/**
 * The decision after `AddSearchAttributes` was refused with `cause`: returns when every attribute of
 * `wanted` is in `existing` with its type; otherwise throws.
 * @throws {TemporalSearchAttributesMissingError} naming the missing attributes and how to add them.
 * @throws {TemporalSearchAttributeConflictError} when one exists with another type.
 */
export function requireSearchAttributes(
  namespace: string,
  wanted: SearchAttributeTypes,
  existing: Readonly<Record<string, number>>,
  cause?: unknown,
): void {
  const missing = checkSearchAttributes(namespace, wanted, existing);
  if (Object.keys(missing).length === 0) return;
  throw new TemporalSearchAttributesMissingError(missingSearchAttributesMessage(namespace, missing, cause), { cause, missing });
}

/** What an operator reads when attributes are missing and the service may not add them. */
export function missingSearchAttributesMessage(namespace: string, missing: SearchAttributeTypes, cause?: unknown): string {
  const entries = Object.entries(missing);
  const code = grpcCode(cause);
  const refused = code === GRPC.PERMISSION_DENIED ? 'PERMISSION_DENIED' : code === GRPC.UNIMPLEMENTED ? 'UNIMPLEMENTED' : undefined;
  const sa = entries.map(([name, type]) => `--search-attribute "${name}=${type}"`).join(' ');
  const named = entries.map(([name, type]) => `--name ${name} --type ${type}`).join(' ');
  return [
    `namespace ${namespace} lacks the custom search attribute${entries.length === 1 ? '' : 's'} ${entries.map(([name, type]) => `${name} (${type})`).join(', ')}, ` +
      `and this service may not add them${refused ? ` (AddSearchAttributes: ${refused}; Temporal Cloud namespaces do not allow it)` : ''}.`,
    'Add them once, then start the service again:',
    `  Temporal Cloud, tcld:  tcld namespace search-attributes add --namespace ${namespace} ${sa}`,
    `  Temporal Cloud, web UI: Namespaces > ${namespace} > Edit > Custom Search Attributes > Add, one per name and type above, then Save`,
    `  self-hosted cluster:    temporal operator search-attribute create --namespace ${namespace} ${named}`,
  ].join('\n');
}

/** The gRPC status code of an error (or of its cause), if any. */
function grpcCode(error: unknown): number | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

async function listCustom(connection: Connection, namespace: string): Promise<Record<string, number>> {
  try {
    const response = await connection.operatorService.listSearchAttributes({ namespace });
    return (response.customAttributes ?? {}) as Record<string, number>;
  } catch (cause) {
    const hint = isAddRefused(cause)
      ? '; check that the API key or client certificate (TEMPORAL_API_KEY, TEMPORAL_TLS_CLIENT_CERT_PATH) may use this namespace'
      : '; check TEMPORAL_ADDRESS, TEMPORAL_TLS*/TEMPORAL_API_KEY and that the namespace exists';
    throw new TemporalServerUnreachableError(`could not list search attributes of namespace ${namespace}: ${String(cause)}${hint}.`, { cause });
  }
}
