/**
 * Run defaults: what a run gets for a setting its options leave out. The host of the library sets
 * them, the engine never reads them from the environment: a headless kernel sets `until` at
 * start-up (`windowpane run` does it in the kernel's setup cell on a server it did not start), so a
 * notebook run in CI always ends.
 */
import { parseUntil, setDefaultUntil, type UntilInput } from './bounded.js';

export interface RunDefaults {
  /** The bound of a run that asks for none; left out, such runs are unbounded. */
  readonly until?: UntilInput;
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
