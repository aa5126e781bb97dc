/**
 * The query's DuckDB resources: a memory limit and a spill folder for its instance, what DuckDB
 * uses of them, and the clear error when DuckDB runs out of memory anyway. Aggregations with many
 * keys spill to the temp folder once the limit is reached instead of failing.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigError, QueryError, ResourceError, isWindowpaneError } from '../../errors.js';
import { toKafkaError } from '../../kafka/errors.js';
import { messages } from '../../messages.js';
import { literal } from '../exec/duck.js';

export interface ResourceOptions {
  /** DuckDB's memory limit for the query's instance, e.g. '1GB' or '512MB'. Default: DuckDB's (80% of RAM). */
  readonly memoryLimit?: string;
  /** Where DuckDB spills beyond the limit. Default: a fresh folder under os.tmpdir(), removed on close. */
  readonly tempDirectory?: string;
}

export interface DuckMemory {
  /** The instance's memory limit as DuckDB reports it, e.g. '953.6 MiB'. */
  readonly limit: string;
  /** Bytes DuckDB holds in memory now. */
  readonly memoryBytes: number;
  /** Bytes spilled to the temp folder now. */
  readonly tempBytes: number;
}

const SIZE = /^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i;

/** A fresh spill folder for a run's own instance (DuckDB's in-memory default would be ./.tmp). */
export function defaultSpillDirectory(): string {
  return join(tmpdir(), `windowpane-duckdb-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Applies the limit and the spill folder (settings are per instance: a given one keeps its own unless asked). */
export async function applyResources(conn: DuckDBConnection, o: ResourceOptions, ownsInstance: boolean): Promise<void> {
  if (o.memoryLimit !== undefined && !SIZE.test(o.memoryLimit)) throw new ConfigError('invalid-memory-limit', messages.invalidMemoryLimit(String(o.memoryLimit)));
  // DuckDB makes the folder when it first spills and removes it on close
  const dir = o.tempDirectory ?? (ownsInstance ? defaultSpillDirectory() : undefined);
  if (dir !== undefined) await conn.run(`SET temp_directory = ${literal(dir)}`);
  if (o.memoryLimit !== undefined) {
    await conn.run(`SET memory_limit = ${literal(o.memoryLimit.trim())}`);
    // results never depend on the order of unordered scans; without it DuckDB needs less memory
    if (ownsInstance) await conn.run('SET preserve_insertion_order = false');
  }
}

export async function duckMemory(conn: DuckDBConnection): Promise<DuckMemory> {
  const r = await conn.runAndReadAll(`SELECT current_setting('memory_limit'), sum(memory_usage_bytes)::BIGINT, sum(temporary_storage_bytes)::BIGINT FROM duckdb_memory()`);
  const [limit, mem, tmp] = r.getRows()[0] ?? [];
  return { limit: String(limit), memoryBytes: Number(mem ?? 0), tempBytes: Number(tmp ?? 0) };
}

/** A full spill folder: DuckDB's own limit on it (the free space there) or the disk itself. */
const SPILL_FULL = /max_temp_directory_size|failed to offload data block|No space left on device|Disk full/i;

/**
 * DuckDB's out-of-memory error as a ResourceError naming the limit, a full spill folder as one
 * naming the folder; other errors pass through.
 */
export function asResourceError(e: unknown, resources: ResourceOptions): unknown {
  if (isWindowpaneError(e) || !(e instanceof Error)) return e;
  const limit = resources.memoryLimit;
  const why = e.message.split('\n')[0]!.replace(/^.*?(Out of Memory|IO) Error:\s*/i, '').replace(/\.\s*$/, '');
  if (SPILL_FULL.test(e.message)) {
    return new ResourceError('spill-full', messages.spillFull(resources.tempDirectory, why, limit), { cause: e, context: { folder: resources.tempDirectory ?? 'temp_directory', memoryLimit: limit ?? 'default' } });
  }
  if (!/Out of Memory Error/i.test(e.message)) return e;
  return new ResourceError('out-of-memory', messages.outOfMemory(limit, why), { cause: e, context: { memoryLimit: limit ?? 'default' } });
}

/** DuckDB's error classes as they start its messages ("Conversion Error: ..."). */
const DUCK_ERROR = /^(Conversion|Invalid Input|Out of Range|Binder|Catalog|Parser|IO|Constraint|Not implemented|Invalid|Internal|Dependency|Transaction|Permission|Serialization|Fatal|Sequence|Syntax|Type|Value|Decimal|Settings|HTTP|Mismatch Type|Missing Extension) Error: /;

/** What the user can do about a DuckDB failure while a query runs. */
function duckHint(message: string): string {
  if (/^Conversion Error/.test(message)) return 'A value in the data does not convert to the type its column has (the source\'s schema, or a cast in the query): fix the data, or read the column as VARCHAR and convert it with TRY_CAST(x AS type), which gives NULL for such values.';
  if (/^Out of Range Error/.test(message)) return 'A value is out of range of its type: cast to a wider type (BIGINT, HUGEINT, DOUBLE) before the arithmetic.';
  if (/^Invalid Input Error/.test(message)) return 'The input does not have the shape the query expects: check the source\'s files and schema.';
  if (/^IO Error/.test(message)) return 'Check that the files the source reads are there and readable.';
  return 'Check the query and the data it reads.';
}

/**
 * A run's failure as the user sees it: DuckDB's out-of-memory as a ResourceError naming the limit
 * (a full spill folder: naming the folder),
 * any other DuckDB error as a QueryError that quotes it with a hint, a Kafka client failure as a
 * KafkaError; Windowpane's own errors (and anything else) unchanged.
 */
export function asRunError(e: unknown, resources: ResourceOptions): unknown {
  if (isWindowpaneError(e) || !(e instanceof Error)) return e;
  const resource = asResourceError(e, resources);
  if (resource !== e) return resource;
  if (DUCK_ERROR.test(e.message)) {
    const first = e.message.split('\n\nLINE')[0]!;
    return new QueryError('query-failed', messages.queryFailed(first, duckHint(first)), { cause: e });
  }
  return toKafkaError(e);
}
