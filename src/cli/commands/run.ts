import { existsSync } from 'node:fs';
import { ConfigError, errorMessage, isWindowpaneError } from '../../errors.js';
import { messages } from '../../messages.js';
import { outcomeText } from '../../runner/execute.js';
import { parseUntil, type HeadlessUntil } from '../../runner/headless.js';
import { parseParameters } from '../../runner/parameters.js';
import { consoleProgress } from '../../runner/progress.js';
import type { Json } from '../../runner/notebook.js';
import { runNotebook } from '../../runner/run.js';
import type { RunOutcome } from '../../runner/types.js';
import { parseFlags, type Command } from '../command.js';

const usage = `usage: windowpane run NOTEBOOK.ipynb [options]

Executes a notebook headless and writes the executed notebook after every cell.

  -o, --output OUT.ipynb   where to write it (default: NOTEBOOK.out.ipynb)
  -p NAME=VALUE            a parameter (repeatable): numbers, true/false, null and JSON
                           stay typed, anything else is a string; injected as a cell
                           tagged injected-parameters after the cell tagged parameters
  --url URL --token T      use a running Jupyter Server (default: start one from .venv)
  --kernel NAME            kernel to use (default: the notebook's kernelspec)
  --cell-timeout S         seconds one cell may run (default: 600; 'none': no limit)
  --timeout S              seconds the whole notebook may run (default: no limit)
  --startup-timeout S      seconds the kernel may take to start (default: 60)
  --until D|Nwindows       how long live queries run: a duration (30s, 5m) or a count
                           of final windows (10windows); default: until caught up
  --html FILE              also export HTML (nbconvert)
  --cwd DIR                the kernel's working folder (default: the notebook's)

Exit codes: 0 all cells ran; 1 a cell failed; 3 a timeout; 4 the kernel died;
130 interrupted; 2 bad arguments.`;

const KNOWN = new Set(['o', 'output', 'p', 'param', 'url', 'token', 'kernel', 'cell-timeout', 'timeout', 'startup-timeout', 'until', 'html', 'cwd']);

/** A cell that waits forever (a live query with no bound, a prompt) still ends a headless run. */
export const DEFAULT_CELL_TIMEOUT_S = 600;

/** A time-out option in ms: the flag's seconds, 'none' for no limit, else the default. */
export function seconds(flags: ReadonlyMap<string, readonly string[]>, name: string, defaultS?: number): number | undefined {
  const v = flags.get(name)?.at(-1);
  if (v === undefined) return defaultS === undefined ? undefined : defaultS * 1000;
  if (v === 'none') return undefined;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new ConfigError('invalid-option', messages.invalidRunOption(`--${name}`, v, `a positive number of seconds${defaultS !== undefined ? ", or 'none' for no limit" : ''}`));
  return Math.round(n * 1000);
}

export function exitCode(outcome: RunOutcome): number {
  switch (outcome.status) {
    case 'ok':
      return 0;
    case 'cell-error':
      return 1;
    case 'cell-timeout':
    case 'notebook-timeout':
      return 3;
    case 'kernel-died':
      return 4;
    case 'aborted':
      return 130;
  }
}

/** Bad arguments: exit code 2. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage: boolean,
  ) {
    super(message);
  }
}

interface ParsedRun {
  readonly input: string;
  readonly parameters: Record<string, Json>;
  readonly url: string | undefined;
  readonly token: string | undefined;
  readonly until: HeadlessUntil | undefined;
  readonly output: string | undefined;
  readonly html: string | undefined;
  readonly kernel: string | undefined;
  readonly cwd: string | undefined;
  readonly cellTimeoutMs: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly startupTimeoutMs: number | undefined;
}

/** The run's options from its arguments; throws a UsageError or the option's own error on bad ones. */
export function parseRunArgs(args: readonly string[]): ParsedRun {
  const { positional, flags } = parseFlags(args);
  const unknown = [...flags.keys()].filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.map((u) => `--${u}`).join(', ')}`, true);
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'no notebook given' : `one notebook at a time (got ${positional.join(' ')})`, true);
  const input = positional[0]!;
  if (!existsSync(input)) throw new UsageError(messages.notebookMissing(input, process.cwd()), false);
  const one = (...names: string[]) => names.map((n) => flags.get(n)?.at(-1)).find((v) => v !== undefined);
  const url = one('url');
  let token = one('token');
  if (url !== undefined) {
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      throw new ConfigError('invalid-option', messages.invalidRunOption('--url', url, 'the address of a Jupyter Server, e.g. http://127.0.0.1:8888/?token=...'));
    }
    token ??= parsedUrl.searchParams.get('token') ?? process.env.JUPYTER_TOKEN ?? '';
  }
  const until = one('until');
  return {
    input,
    parameters: parseParameters([...(flags.get('p') ?? []), ...(flags.get('param') ?? [])]),
    url: url?.replace(/\?.*$/, ''),
    token,
    until: until === undefined ? undefined : parseUntil(until),
    output: one('o', 'output'),
    html: one('html'),
    kernel: one('kernel'),
    cwd: one('cwd'),
    cellTimeoutMs: seconds(flags, 'cell-timeout', DEFAULT_CELL_TIMEOUT_S),
    timeoutMs: seconds(flags, 'timeout'),
    startupTimeoutMs: seconds(flags, 'startup-timeout'),
  };
}

// eslint-disable-next-line no-control-regex -- tracebacks carry terminal colour codes
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

export const runCommand: Command = {
  name: 'run',
  summary: 'execute a notebook headless (CI, sharing): parameters, timeouts, HTML export',
  usage,
  async run(args) {
    // 1. the arguments: anything wrong with them is exit code 2, before anything starts
    let parsed: ParsedRun;
    try {
      parsed = parseRunArgs(args);
    } catch (e) {
      if (!(e instanceof UsageError) && !isWindowpaneError(e)) throw e;
      process.stderr.write(`windowpane run: ${errorMessage(e)}\n${e instanceof UsageError && e.showUsage ? `${usage}\n` : 'See `windowpane run --help`.\n'}`);
      return 2;
    }
    const { input, url, token, until, output, html, kernel, cwd, cellTimeoutMs, timeoutMs, startupTimeoutMs, parameters } = parsed;

    // @jupyterlab/services logs each connection step with console.debug, meant for a browser console.
    console.debug = () => undefined;
    const progress = consoleProgress();
    const abort = new AbortController();
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(130);
      process.stderr.write('\ninterrupting the kernel and saving (Ctrl-C again to quit at once)\n');
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const result = await runNotebook({
        input,
        parameters,
        signal: abort.signal,
        onProgress: progress,
        ...(output !== undefined ? { output } : {}),
        ...(url !== undefined ? { server: { url, token: token ?? '' } } : {}),
        ...(kernel !== undefined ? { kernel } : {}),
        ...(cellTimeoutMs !== undefined ? { cellTimeoutMs } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(startupTimeoutMs !== undefined ? { startupTimeoutMs } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(html !== undefined ? { html } : {}),
        ...(cwd !== undefined ? { cwd } : {}),
      });
      progress.close();
      if (result.html !== undefined) process.stderr.write(`wrote ${result.html}\n`);
      const { outcome } = result;
      if (outcome.status !== 'ok') {
        const clean = process.stderr.isTTY ? (s: string) => s : stripAnsi;
        process.stderr.write(`windowpane run: ${outcomeText(outcome)}\n`);
        if (outcome.status === 'cell-error' && outcome.traceback.length > 0) process.stderr.write(clean(outcome.traceback.join('\n')) + '\n');
        process.stderr.write(`the partial notebook is in ${result.output}\n`);
      }
      return exitCode(outcome);
    } finally {
      progress.close();
      process.removeListener('SIGINT', onSigint);
    }
  },
};
