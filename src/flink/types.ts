/**
 * The SQL Gateway's REST wire types (Flink 2.x, API v2 and later), and the checks that a reply
 * has that shape. Replies are checked once here; the client behind trusts the types.
 */

/** The changelog kind of a result row: +I, -U, +U, -D. */
export type RowKind = 'INSERT' | 'UPDATE_BEFORE' | 'UPDATE_AFTER' | 'DELETE';
export const rowKinds: readonly RowKind[] = ['INSERT', 'UPDATE_BEFORE', 'UPDATE_AFTER', 'DELETE'];

/** NOT_READY: ask again later; PAYLOAD: rows (maybe none yet); EOS: the result is complete. */
export type ResultType = 'NOT_READY' | 'PAYLOAD' | 'EOS';

export type OperationStatus = 'INITIALIZED' | 'PENDING' | 'RUNNING' | 'FINISHED' | 'CANCELED' | 'CLOSED' | 'ERROR' | 'TIMEOUT';

/** A Flink logical type as the gateway writes it, e.g. { type: 'BIGINT', nullable: false }. */
export interface LogicalType {
  readonly type: string;
  readonly nullable: boolean;
  readonly [more: string]: unknown;
}

export interface ColumnInfo {
  readonly name: string;
  readonly logicalType: LogicalType;
  readonly comment?: string | null;
}

/** One row of a result, in JSON row format: values as Flink's JSON format writes them. */
export interface ResultRow {
  readonly kind: RowKind;
  readonly fields: readonly unknown[];
}

export interface FetchResultsBody {
  readonly resultType: ResultType;
  readonly isQueryResult?: boolean;
  readonly jobID?: string;
  readonly resultKind?: 'SUCCESS' | 'SUCCESS_WITH_CONTENT';
  readonly results?: { readonly columns: readonly ColumnInfo[]; readonly rowFormat?: string; readonly data: readonly ResultRow[] };
  readonly nextResultUri?: string;
}

export class ReplyShapeError extends Error {}

function fail(why: string): never {
  throw new ReplyShapeError(why);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function assertInfo(v: unknown): asserts v is { productName: string; version: string } {
  if (!isObject(v) || typeof v.productName !== 'string' || typeof v.version !== 'string') fail('no productName and version');
}

export function assertSessionHandle(v: unknown): asserts v is { sessionHandle: string } {
  if (!isObject(v) || typeof v.sessionHandle !== 'string' || v.sessionHandle === '') fail('no sessionHandle');
}

export function assertOperationHandle(v: unknown): asserts v is { operationHandle: string } {
  if (!isObject(v) || typeof v.operationHandle !== 'string' || v.operationHandle === '') fail('no operationHandle');
}

export function assertStatus(v: unknown): asserts v is { status: OperationStatus } {
  if (!isObject(v) || typeof v.status !== 'string') fail('no status');
}

export function assertApiVersions(v: unknown): asserts v is { versions: string[] } {
  if (!isObject(v) || !Array.isArray(v.versions) || !v.versions.every((x) => typeof x === 'string')) fail('no versions list');
}

function assertColumn(c: unknown, i: number): asserts c is ColumnInfo {
  if (!isObject(c) || typeof c.name !== 'string') fail(`column ${i} has no name`);
  const t = c.logicalType;
  if (!isObject(t) || typeof t.type !== 'string' || typeof t.nullable !== 'boolean') fail(`column ${c.name} has no logicalType`);
}

function assertRow(r: unknown, i: number, width: number): asserts r is ResultRow {
  if (!isObject(r) || !rowKinds.includes(r.kind as RowKind)) fail(`row ${i} has no changelog kind (INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE)`);
  if (!Array.isArray(r.fields) || r.fields.length !== width) fail(`row ${i} does not have ${width} fields`);
}

export function assertFetchResults(v: unknown): asserts v is FetchResultsBody {
  if (!isObject(v)) fail('not a JSON object');
  if (v.resultType !== 'NOT_READY' && v.resultType !== 'PAYLOAD' && v.resultType !== 'EOS') fail(`unknown resultType ${JSON.stringify(v.resultType)}`);
  if (v.nextResultUri !== undefined && v.nextResultUri !== null && typeof v.nextResultUri !== 'string') fail('nextResultUri is not a string');
  if (v.jobID !== undefined && v.jobID !== null && typeof v.jobID !== 'string') fail('jobID is not a string');
  if (v.results === undefined || v.results === null) return;
  const r = v.results;
  if (!isObject(r) || !Array.isArray(r.columns) || !Array.isArray(r.data)) fail('results have no columns and data');
  r.columns.forEach(assertColumn);
  if (r.rowFormat !== undefined && r.rowFormat !== 'JSON') fail(`rows are in ${JSON.stringify(r.rowFormat)} format, not JSON`);
  r.data.forEach((row, i) => assertRow(row, i, (r.columns as unknown[]).length));
}
