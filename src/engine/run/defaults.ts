/**
 * Run defaults: what a run gets for a setting its options leave out. The host of the library sets
 * them, the engine never reads them from the environment: a headless kernel sets `until` at
 * start-up (`windowpane run` does it in the kernel's setup cell on a server it did not start), so a
 * notebook run in CI always ends; every kernel sets `signal`, so interrupting a cell stops the runs
 * it started.
 */
import { parseUntil, setDefaultUntil, type UntilInput } from './bounded.js';

export interface RunDefaults {
  /** The bound of a run that asks for none; left out, such runs are unbounded. */
  readonly until?: UntilInput;
  /** The signal that stops a run given none, asked for when the run starts (a kernel: the calling cell's interrupt). */
  readonly signal?: () => AbortSignal | undefined;
}

let current: RunDefaults = {};

/**
 * Replaces the run defaults: a setting left out goes back to the engine's own. `until` is checked
 * here, so a bad one fails where it is set rather than in the first run.
 */
export function setRunDefaults(defaults: RunDefaults): void {
  setDefaultUntil(parseUntil(defaults.until));
  current = { ...defaults };
}

/** The run defaults as last set. */
export function runDefaults(): RunDefaults {
  return current;
}
