/**
 * What a headless kernel is told: WINDOWPANE_HEADLESS=1, and in WINDOWPANE_UNTIL how long its live
 * queries may run, as JSON in the engine's bounded-run shape so the engine reads it with one
 * JSON.parse: {"caughtUp":true} (the default), {"durationMs":30000} or {"finalWindows":10}.
 */
import { NotebookError } from '../errors.js';
import { messages } from '../messages.js';

export type HeadlessUntil = { readonly caughtUp: true } | { readonly durationMs: number } | { readonly finalWindows: number };

export const HEADLESS_ENV = 'WINDOWPANE_HEADLESS';
export const UNTIL_ENV = 'WINDOWPANE_UNTIL';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
};

/** Parses the `--until` text: `caught-up`, a duration (`30s`, `5m`, `2 minutes`) or `N windows`. */
export function parseUntil(text: string): HeadlessUntil {
  const t = text.trim().toLowerCase();
  if (t === 'caught-up' || t === 'caughtup') return { caughtUp: true };
  const windows = /^(\d+)\s*(windows?|w)$/.exec(t);
  if (windows) {
    const n = Number(windows[1]);
    if (n > 0) return { finalWindows: n };
  }
  const duration = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(t);
  const unit = duration ? UNIT_MS[duration[2]!] : undefined;
  if (duration && unit !== undefined && Number(duration[1]) > 0) return { durationMs: Math.round(Number(duration[1]) * unit) };
  throw new NotebookError('invalid-until', messages.runUntilInvalid(text), { context: { until: text } });
}

/** The environment a headless kernel gets. */
export function headlessEnv(until: HeadlessUntil = { caughtUp: true }): Record<string, string> {
  return { [HEADLESS_ENV]: '1', [UNTIL_ENV]: JSON.stringify(until) };
}

/** For the kernel side: the bound of this headless run, or undefined when not headless. */
export function headlessUntilFromEnv(env: NodeJS.ProcessEnv = process.env): HeadlessUntil | undefined {
  if (env[HEADLESS_ENV] !== '1') return undefined;
  const raw = env[UNTIL_ENV];
  if (!raw) return { caughtUp: true };
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (typeof v.durationMs === 'number' && v.durationMs > 0) return { durationMs: v.durationMs };
    if (typeof v.finalWindows === 'number' && v.finalWindows > 0) return { finalWindows: v.finalWindows };
  } catch {
    return parseUntil(raw);
  }
  return { caughtUp: true };
}

/**
 * Code that sets environment variables inside an already running kernel, for servers the runner
 * did not start (their kernels' environment cannot be given through the REST API). With `until`,
 * a TypeScript or JavaScript kernel's windowpane library also gets it as its run default, as a
 * kernel started headless sets at start-up. Undefined for a language it does not know.
 */
export function renderEnvSetup(env: Readonly<Record<string, string>>, language: string, until?: HeadlessUntil): string | undefined {
  const json = JSON.stringify(env);
  switch (language.toLowerCase()) {
    case 'typescript':
    case 'javascript': {
      const setEnv = `Object.assign(process.env, ${json});`;
      if (until === undefined) return setEnv;
      // A kernel without the library has no runs to bound: the import may fail, a bad bound may not.
      return `${setEnv}\nawait import('windowpane').then((windowpane) => windowpane.setRunDefaults({ ...windowpane.runDefaults(), until: ${JSON.stringify(until)} }), () => undefined);`;
    }
    case 'python':
      return `import os as _wp_os; _wp_os.environ.update(${json}); del _wp_os`;
    default:
      return undefined;
  }
}
