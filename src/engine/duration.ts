import { QueryError } from '../errors.js';
import { messages } from '../messages.js';

/** A duration as the user writes it: '5 seconds', '1 hour', INTERVAL '90 minutes', or milliseconds. */
export type DurationInput = string | number;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1, millisecond: 1, milliseconds: 1, msec: 1, msecs: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

/** Flink's and standard SQL's qualified interval: INTERVAL '1' HOUR, INTERVAL '1:30' HOUR TO MINUTE, INTERVAL '0 00:00:30.5' DAY TO SECOND(3). */
const QUALIFIED = /^interval\s+'\s*([0-9:. ]+?)\s*'\s+(day|hour|minute|second)s?(?:\s*\(\s*\d+\s*\))?(?:\s+to\s+(hour|minute|second)(?:\s*\(\s*\d+\s*\))?)?$/i;
const FIELD_MS: Readonly<Record<string, number>> = { day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 };
const FIELDS = ['day', 'hour', 'minute', 'second'];

/** The milliseconds of a qualified interval, or undefined when the text is not one. */
function qualifiedInterval(text: string): number | undefined {
  const m = QUALIFIED.exec(text);
  if (!m) return undefined;
  const from = FIELDS.indexOf(m[2]!.toLowerCase());
  const to = m[3] ? FIELDS.indexOf(m[3].toLowerCase()) : from;
  const parts = m[1]!.split(/[ :]/);
  if (to < from || parts.length !== to - from + 1 || parts.some((p, i) => !/^\d+(\.\d+)?$/.test(p) || (i < parts.length - 1 && p.includes('.')))) return undefined;
  return Math.round(parts.reduce((ms, p, i) => ms + Number(p) * FIELD_MS[FIELDS[from + i]!]!, 0));
}

/**
 * Parses a duration to milliseconds. Months and years are refused: their length varies, so windows
 * over them are not fixed-size.
 */
export function parseDuration(input: DurationInput, what: string): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw new QueryError('invalid-duration', messages.invalidDuration(what, String(input)));
  }
  let text = input.trim();
  const qualified = qualifiedInterval(text);
  if (qualified !== undefined) return qualified;
  const interval = /^interval\s+'([^']*)'$/i.exec(text) ?? /^interval\s+(.*)$/i.exec(text);
  if (interval) text = interval[1]!.trim();
  text = text.replace(/^'(.*)'$/, '$1').trim();
  if (!/^(\s*\d+(?:\.\d+)?\s*[a-zA-Z]+\s*)+$/.test(text)) throw new QueryError('invalid-duration', messages.invalidDuration(what, input));
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*([a-zA-Z]+)/g)) {
    const unit = UNIT_MS[m[2]!.toLowerCase()];
    if (unit === undefined) throw new QueryError('invalid-duration', messages.invalidDuration(what, input));
    total += Number(m[1]) * unit;
  }
  return Math.round(total);
}
