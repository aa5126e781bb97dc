/**
 * Times every DuckDB statement of the process by its shape (the SQL with numbers and names of
 * scratch tables blurred, cut to 90 characters): wall time per shape and call count. DuckDB runs on
 * its own threads, so a CPU profile of the main thread shows this time only as `(idle)`; the
 * process's CPU time over each statement (DuckDB's threads included) is summed beside it.
 */
import { DuckDBConnection } from '@duckdb/node-api';

interface Timed {
  ms: number;
  /** CPU time of the process over the statement (DuckDB's threads included): steadier than wall time on a loaded machine. */
  cpuMs: number;
  calls: number;
}

const times = new Map<string, Timed>();
/** Statement methods call each other (runAndReadAll calls run): only the outermost call counts. */
let depth = 0;

function shape(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/-?\d+(\.\d+)?/g, 'N').slice(0, 90);
}

/** Wraps the connection's statement methods (once per process). */
export function timeStatements(): void {
  const proto = DuckDBConnection.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const name of ['run', 'runAndReadAll', 'stream', 'streamAndReadAll']) {
    const original = proto[name]!;
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      if (depth > 0) return original.apply(this, args);
      const t = performance.now();
      const cpu = process.cpuUsage();
      depth++;
      try {
        return await original.apply(this, args);
      } finally {
        depth--;
        const key = shape(String(args[0]));
        const e = times.get(key) ?? { ms: 0, cpuMs: 0, calls: 0 };
        e.ms += performance.now() - t;
        const used = process.cpuUsage(cpu);
        e.cpuMs += (used.user + used.system) / 1000;
        e.calls++;
        times.set(key, e);
      }
    };
  }
}

/** The statements by total time, as a markdown table; then clears the counts. */
export function statementReport(top = 15): string {
  const rows = [...times].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, t]) => s + t.ms, 0);
  const calls = rows.reduce((s, [, t]) => s + t.calls, 0);
  const cpu = rows.reduce((s, [, t]) => s + t.cpuMs, 0);
  const lines = ['| wall ms | CPU ms | calls | statement |', '| ---: | ---: | ---: | --- |'];
  for (const [k, t] of rows.slice(0, top)) lines.push(`| ${t.ms.toFixed(0)} | ${t.cpuMs.toFixed(0)} | ${t.calls} | \`${k.replace(/\|/g, '\\|')}\` |`);
  lines.push(`\nall statements: ${total.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU, in ${calls} calls`);
  times.clear();
  return lines.join('\n');
}
