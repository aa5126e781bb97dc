/**
 * Progress of long CLI work in the terminal's usual form: on a terminal one line redrawn in place
 * (a bar with a percentage and an ETA from the pace so far when the total is known, the elapsed
 * time ticking every second); elsewhere (CI, a pipe, a log file) plain lines, a running update at
 * most every `plainEveryMs`. `windowpane run`, `replay` and the first `kafka start` print through it.
 */

/** Where a task stands: `done` of `total` (when known) `unit`s, and a short detail. */
export interface ProgressState {
  readonly label: string;
  readonly done?: number;
  readonly total?: number;
  readonly unit?: string;
  readonly detail?: string;
  /** How far along, 0 to 1, for the bar and the ETA; by default done / total. */
  readonly fraction?: number;
}

export interface Progress {
  /** The running state: the live line on a terminal, a plain line now and then elsewhere. */
  update(state: ProgressState): void;
  /** A line that stays (a finished step, a message): ends the live line first. */
  log(text: string): void;
  /** Ends the live line (on a terminal); nothing is redrawn after this until the next update. */
  end(): void;
  /** Whether the output is a terminal (a live line) rather than plain lines. */
  readonly live: boolean;
}

export interface ProgressOptions {
  /** Plain output: the least time between two running updates. Default 5000 ms. */
  readonly plainEveryMs?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
}

const BAR_WIDTH = 24;

/** Whether `stream` gets a live line: a terminal, and not CI (which keeps a terminal's bytes in its log). */
export function isLiveTerminal(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** `12/40 rows (30%)`, or `12 rows` without a total. */
function counts(s: ProgressState): string {
  if (s.done === undefined) return '';
  const unit = s.unit ? ` ${s.unit}` : '';
  if (s.total === undefined || s.total <= 0) return `${s.done.toLocaleString('en-US')}${unit}`;
  return `${s.done.toLocaleString('en-US')}/${s.total.toLocaleString('en-US')}${unit} (${Math.floor((100 * Math.min(s.done, s.total)) / s.total)}%)`;
}

function fractionOf(s: ProgressState): number | undefined {
  if (s.fraction !== undefined) return Math.max(0, Math.min(1, s.fraction));
  return s.done !== undefined && s.total !== undefined && s.total > 0 ? Math.min(1, s.done / s.total) : undefined;
}

function bar(fraction: number): string {
  const filled = Math.round(BAR_WIDTH * fraction);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

/** The time left at the pace since the first fraction seen (so set-up before the work does not count). */
function eta(fraction: number | undefined, first: { at: number; fraction: number } | undefined, now: number): string {
  if (fraction === undefined || first === undefined || fraction >= 1 || fraction <= first.fraction) return '';
  return ` · ETA ${seconds(((now - first.at) * (1 - fraction)) / (fraction - first.fraction))}`;
}

export function progressOutput(stream: { isTTY?: boolean; write(text: string): unknown } = process.stderr, env: NodeJS.ProcessEnv = process.env, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const live = isLiveTerminal(stream, env);
  const t0 = now();
  const plainEveryMs = options.plainEveryMs ?? 5000;
  let state: ProgressState | undefined;
  let first: { at: number; fraction: number } | undefined;
  let lastPlain = -Infinity;
  let ticker: NodeJS.Timeout | undefined;

  const text = (s: ProgressState): string => {
    const fraction = fractionOf(s);
    const parts = [live && fraction !== undefined ? `${bar(fraction)} ${s.label}` : s.label, counts(s), s.detail ?? ''].filter((p) => p !== '');
    return `${parts.join(' ')} · ${seconds(now() - t0)}${eta(fraction, first, now())}`;
  };
  const draw = () => {
    if (state) stream.write(`\r\x1b[2K${text(state)}`);
  };
  const end = () => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
    if (live && state) stream.write('\n');
    state = undefined;
  };
  return {
    live,
    update(s) {
      state = s;
      const fraction = fractionOf(s);
      if (first === undefined && fraction !== undefined) first = { at: now(), fraction };
      if (live) {
        draw();
        ticker ??= setInterval(draw, 1000);
        ticker.unref();
      } else if (now() - lastPlain >= plainEveryMs) {
        lastPlain = now();
        stream.write(`${text(s)}\n`);
      }
    },
    log(line) {
      end();
      stream.write(`${line}\n`);
    },
    end,
  };
}
