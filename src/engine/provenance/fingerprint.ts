/** Fingerprints of history: files hashed as streams (they may be large), relations hashed in DuckDB. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../exec/duck.js';
import { historyRelationSql } from '../exec/historyRelation.js';
import { assertNever } from '../plan/types.js';
import type { HistorySpec } from '../source/types.js';
import type { FileFingerprint, HistoryProvenance } from './types.js';

/** The files paths or globs name, as DuckDB's readers see them (sorted, no duplicates). */
export async function expandFiles(conn: DuckDBConnection, patterns: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const p of patterns) {
    const r = await conn.runAndReadAll(`SELECT file FROM glob(${literal(p)})`);
    for (const [f] of r.getRows()) files.add(String(f));
  }
  return [...files].sort();
}

export async function fingerprintFile(path: string): Promise<FileFingerprint> {
  const info = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { path, size: info.size, modified: info.mtime.toISOString(), sha256: hash.digest('hex') };
}

/** Row count and an order-independent hash of every row of a table or query. */
export async function fingerprintRelation(conn: DuckDBConnection, relation: string): Promise<{ rows: number; hash: string }> {
  const r = await conn.runAndReadAll(`SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM (SELECT * FROM ${relation}) t`);
  const [rows, hash] = r.getRows()[0] ?? [0, '0'];
  return { rows: Number(rows), hash: String(hash) };
}

/**
 * Starts fingerprinting a history. DuckDB work (globs, relation hashes) is done before this resolves,
 * so the connection is free again; file hashing goes on in `ready` while the history query runs.
 */
export async function fingerprintHistory(conn: DuckDBConnection, h: HistorySpec): Promise<{ readonly ready: Promise<HistoryProvenance> }> {
  switch (h.kind) {
    case 'parquet': case 'csv': case 'json': {
      const files = await expandFiles(conn, h.paths);
      const format = h.kind;
      const hashAll = async (): Promise<HistoryProvenance> => {
        const prints: FileFingerprint[] = [];
        for (const f of files) prints.push(await fingerprintFile(f));
        return { kind: 'files', format, patterns: h.paths, files: prints };
      };
      return { ready: hashAll() };
    }
    case 'table': return { ready: Promise.resolve({ kind: 'table', relation: h.table, ...(await fingerprintRelation(conn, historyRelationSql(h))) }) };
    case 'query': return { ready: Promise.resolve({ kind: 'query', relation: h.sql, ...(await fingerprintRelation(conn, historyRelationSql(h))) }) };
    case 'kafkaBacklog': return { ready: Promise.resolve({ kind: 'kafkaBacklog' }) };
    default: return assertNever(h);
  }
}
