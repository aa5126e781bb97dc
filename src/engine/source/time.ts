/** Points in time as the user writes them: epoch ms, a Date, or an ISO-8601 string (UTC when it has no zone). */
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';

export type TimeInput = number | string | Date;

/** Epoch ms of `value`, or a ConfigError naming `what`. */
export function parseTime(value: TimeInput, what: string): number {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value;
  else if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string') {
    const text = value.trim();
    // a date-time without a zone is UTC, as event times are
    const zoned = /T.*(Z|[+-]\d\d:?\d\d)$/i.test(text) || !/T/.test(text) ? text : `${text}Z`;
    ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(zoned);
  }
  if (!Number.isFinite(ms)) throw new ConfigError('invalid-time', messages.invalidTime(what, value instanceof Date ? 'an invalid Date' : JSON.stringify(value)));
  return Math.round(ms);
}
