import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HistoryRequest } from './messages.js';

/**
 * Input history across kernel sessions, for history_request. One JSON line per executed cell in
 * $WINDOWPANE_HISTORY_FILE (default ~/.local/share/windowpane/history.jsonl), appended as cells
 * run, so several kernels can share the file. Each kernel start is a new session number.
 */
export interface HistoryEntry {
  readonly session: number;
  readonly line: number;
  readonly input: string;
  readonly output: string | null;
}

export type HistoryTuple = [number, number, string] | [number, number, [string, string | null]];

const KEEP = 10_000;

export function defaultHistoryFile(): string {
  const data = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return process.env.WINDOWPANE_HISTORY_FILE ?? join(data, 'windowpane', 'history.jsonl');
}

function parseLine(text: string): HistoryEntry | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'number' && typeof v[2] === 'string') {
      return { session: v[0], line: v[1], input: v[2], output: typeof v[3] === 'string' ? v[3] : null };
    }
  } catch {
    // a torn line from a crash: skip it
  }
  return undefined;
}

/** fnmatch-style glob (`*`, `?`) as IPython's history search uses, over the whole input. */
function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${body}$`);
}

export class History {
  readonly session: number;
  private readonly entries: HistoryEntry[];

  constructor(private readonly file: string = defaultHistoryFile()) {
    this.entries = [];
    if (existsSync(file)) {
      for (const l of readFileSync(file, 'utf8').split('\n')) {
        const e = l ? parseLine(l) : undefined;
        if (e) this.entries.push(e);
      }
    }
    if (this.entries.length > KEEP) {
      this.entries.splice(0, this.entries.length - KEEP);
      writeFileSync(file, this.entries.map((e) => JSON.stringify([e.session, e.line, e.input, e.output]) + '\n').join(''));
    }
    this.session = this.entries.reduce((max, e) => Math.max(max, e.session), 0) + 1;
  }

  add(line: number, input: string, output: string | null): void {
    const entry = { session: this.session, line, input, output };
    this.entries.push(entry);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, JSON.stringify([entry.session, entry.line, entry.input, entry.output]) + '\n');
    } catch {
      // history on disk is a convenience; a read-only home must not fail the cell
    }
  }

  query(r: HistoryRequest): HistoryTuple[] {
    return this.select(r).map((e) => (r.output ? [e.session, e.line, [e.input, e.output]] : [e.session, e.line, e.input]));
  }

  private select(r: HistoryRequest): HistoryEntry[] {
    switch (r.hist_access_type) {
      case 'tail':
        return r.n === undefined ? this.entries.slice() : r.n <= 0 ? [] : this.entries.slice(-r.n);
      case 'range': {
        const session = r.session <= 0 ? this.session + r.session : r.session;
        return this.entries.filter((e) => e.session === session && e.line >= r.start && (r.stop === undefined || e.line < r.stop));
      }
      case 'search': {
        const re = globToRegExp(r.pattern);
        let found = this.entries.filter((e) => re.test(e.input));
        if (r.unique) {
          const seen = new Set<string>();
          found = found.reverse().filter((e) => !seen.has(e.input) && seen.add(e.input)).reverse();
        }
        return r.n === undefined ? found : r.n <= 0 ? [] : found.slice(-r.n);
      }
    }
  }
}
