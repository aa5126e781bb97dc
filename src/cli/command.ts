import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';
/** One `windowpane` subcommand. Each lives in src/cli/commands/<name>.ts and is listed in main.ts. */
export interface Command {
  readonly name: string;
  /** One line for `windowpane help`. */
  readonly summary: string;
  /** Full usage text for `windowpane <name> --help`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** Splits `--flag value`, `--flag=value` and bare `--flag` from positional arguments. */
export function parseFlags(args: readonly string[], booleans: readonly string[] = []): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(a);
    if (!m || /^-\d/.test(a)) {
      positional.push(a);
      continue;
    }
    const key = m[1]!;
    if (m[2] !== undefined) add(key, m[2]);
    else if (booleans.includes(key)) add(key, 'true');
    else if (i + 1 < args.length) add(key, args[++i]!);
    else add(key, '');
  }
  return { positional, flags };
}

/** A whole-number flag within [min, max], or undefined when absent; else a clear error naming the flag. */
export function intFlag(name: string, raw: string | undefined, min: number, max: number = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError('invalid-option', messages.invalidRunOption(`--${name}`, raw, max === Number.MAX_SAFE_INTEGER ? (min === 1 ? 'a positive whole number' : `a whole number of at least ${min}`) : `a whole number from ${min} to ${max}`));
  }
  return n;
}

/** Bytes as MiB for status lines ('?' when unknown). */
export function mb(bytes: number | undefined): string {
  return bytes === undefined ? '?' : `${Math.round(bytes / 1024 / 1024)} MiB`;
}
