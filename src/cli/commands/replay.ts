import { parseRate } from '../../replay/pacing.js';
import { replay, type ReplayProgress } from '../../replay/replay.js';
import { intFlag, parseFlags, type Command } from '../command.js';
import { progressOutput, type ProgressState } from '../progress.js';

const usage = `usage: windowpane replay FILE --topic T [options]

Sends the rows of FILE (Parquet, CSV, JSON/NDJSON, or a glob; anything DuckDB reads) to a
Kafka topic as JSON values, in event-time order. Timestamps are sent as ISO-8601 UTC strings
and as each record's Kafka timestamp.

  --topic T            the topic (required)
  --speedup X          replay X times faster than event time (60 = an hour per minute)
  --rate N/s           replay N rows per second (also N/min)
                       neither: as fast as possible
  --loop               start over after the last row, event times shifted one period later
                       (the file's span in whole days) each pass, until Ctrl-C; needs a pace
  --time-column C      the event-time column (default: the first TIMESTAMP or DATE column;
                       text is parsed, numbers are epoch milliseconds)
  --key-column K       the record key (default: none)
  --create             create the topic when it does not exist
  --partitions N       partitions of a created topic (default 1)
  --batch N            rows per produce request (default 1000)

Kafka: WINDOWPANE_KAFKA_BROKERS or windowpane.config.json, else the local broker
(windowpane kafka start).`;

const KNOWN = new Set(['topic', 'speedup', 'rate', 'loop', 'time-column', 'key-column', 'create', 'partitions', 'batch']);

export const replayCommand: Command = {
  name: 'replay',
  summary: 'replay a Parquet/CSV/JSON file into a Kafka topic in event-time order',
  usage,
  async run(args) {
    const { positional, flags } = parseFlags(args, ['create', 'loop']);
    const one = (name: string) => flags.get(name)?.at(-1);
    const unknown = [...flags.keys()].filter((k) => !KNOWN.has(k));
    const topic = one('topic');
    if (positional.length !== 1 || unknown.length > 0 || !topic) {
      process.stderr.write(`${unknown.length > 0 ? `unknown option ${unknown.map((u) => `--${u}`).join(', ')}\n` : ''}${usage}\n`);
      return 2;
    }
    const speedupText = one('speedup');
    const rateText = one('rate');
    const speedup = speedupText === undefined ? undefined : Number(speedupText);
    const rate = rateText === undefined ? undefined : parseRate(rateText);
    const partitions = intFlag('partitions', one('partitions'), 1);
    const batchSize = intFlag('batch', one('batch'), 1);
    const timeColumn = one('time-column');
    const keyColumn = one('key-column');

    const progress = progressOutput();
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await replay({
        file: positional[0]!,
        topic,
        create: one('create') === 'true',
        loop: one('loop') === 'true',
        signal: abort.signal,
        onProgress: (p) => progress.update(replayProgress(p)),
        ...(speedup !== undefined ? { speedup } : {}),
        ...(rate !== undefined ? { rate } : {}),
        ...(partitions !== undefined ? { partitions } : {}),
        ...(batchSize !== undefined ? { batchSize } : {}),
        ...(timeColumn !== undefined ? { timeColumn } : {}),
        ...(keyColumn !== undefined ? { keyColumn } : {}),
      });
      progress.end();
      const secs = result.durationMs / 1000;
      process.stdout.write(
        `${result.stopped ? 'stopped after' : 'replayed'} ${result.sent} of ${result.total} rows to ${result.topic}${result.createdTopic ? ' (created)' : ''} in ${secs.toFixed(1)}s` +
          ` (${Math.round(result.sent / Math.max(secs, 0.001))} rows/s), event time ${result.firstEventTime ?? '-'} .. ${result.lastEventTime ?? '-'} by ${result.timeColumn}\n`,
      );
      if (result.bad.count > 0) {
        const reasons = Object.entries(result.bad.byReason).map(([r, n]) => `${n} × ${r}`).join('; ');
        const rows = result.bad.examples.map((b) => b.row).join(', ');
        process.stderr.write(`${result.bad.count} bad rows were not sent: ${reasons} (rows ${rows}${result.bad.count > result.bad.examples.length ? ', …' : ''})\n`);
      }
      return result.stopped ? 130 : 0;
    } finally {
      progress.end();
      process.removeListener('SIGINT', onSigint);
    }
  },
};

/** A replay's progress: rows sent of the file's (a bar), or of this pass when looping; bad rows and the event time reached. */
export function replayProgress(p: ReplayProgress): ProgressState {
  const detail = [p.pass > 0 ? `(pass ${p.pass + 1})` : '', p.bad > 0 ? `(${p.bad} bad)` : '', p.eventTime ? `event time ${p.eventTime}` : ''].filter((d) => d !== '').join(' ');
  return { label: 'sent', done: p.sent, ...(p.pass > 0 ? {} : { total: p.total }), unit: 'rows', detail };
}
