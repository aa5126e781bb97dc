/**
 * The example notebooks and the small parameters their headless test runs use. Topic parameters
 * get a unique name per run; sizes are cut down so that every notebook runs in seconds.
 */
export interface NotebookCase {
  readonly name: string;
  /** Parameters whose values are topic names: replaced by unique ones. */
  readonly topics: readonly string[];
  readonly parameters: Readonly<Record<string, string | number>>;
  /** What the notebook must print (its own checks: alerts caught, late data seen, ...). */
  readonly prints: readonly RegExp[];
  /** What its HTML outputs must show (a query's status line). */
  readonly html?: readonly RegExp[];
}

export const CASES: readonly NotebookCase[] = [
  { name: 'quickstart', topics: ['liveTopic'], parameters: { historyDays: 2, liveDays: 1, airports: 3, windowSize: '6 hours' }, prints: [/replayed \d+ flights into nb-quickstart/, /\d+ flights · 12 final windows · 0 open · watermark: end of input · 0 bad records/], html: [/<div class="windowpane-status" data-phase="done"[^>]*><span data-item="phase">done<\/span> · <span data-item="watermark">watermark end of input<\/span>.*<summary>provenance<\/summary>/s] },
  { name: 'wordcount', topics: ['liveTopic'], parameters: { liveDays: 2, windowSize: '1 day', minCount: 10 }, prints: [/replayed 476 quakes/, /^alaska \d+ · /m] },
  { name: 'uppercase', topics: ['inputTopic', 'outputTopic'], parameters: { windowSize: '12 hours', minCount: 3 }, prints: [/replayed 1707 quakes/, /mapped 1707 records into nb-uppercase-outputTopic/, /1707 records counted/] },
  { name: 'fraud', topics: ['liveTopic'], parameters: { cards: 60, historyDays: 3, liveHours: 3, frauds: 2 }, prints: [/caught 2 of 2; false alarms on 0 cards/] },
  { name: 'iot', topics: ['liveTopic'], parameters: { devices: 6, historyHours: 6, liveHours: 2 }, prints: [/\d+ sessions on 6 devices; median \d+ minutes/, /readings in sessions · \d+ sessions revised · \d+ retracted by merges · [1-9]\d* late · 0 bad records/, /sensor-\d+: [1-9]\d* late/] },
  { name: 'customer360', topics: ['liveTopic'], parameters: { customers: 80, historyDays: 3, liveHours: 3 }, prints: [/live windows of the \w+ segment: [1-9]/] },
  { name: 'scale-out', topics: ['liveTopic'], parameters: { cards: 60, historyDays: 3, liveHours: 3, frauds: 2, parallelism: 2 }, prints: [/engine: flink 2\.2\.1 through the SQL Gateway/, /(\d+) windows on the local engine, \1 on Flink; identical: true/, /local: caught 2 of 2; false alarms on 0 cards\nflink: caught 2 of 2; false alarms on 0 cards/] },
  { name: 'maintenance', topics: ['liveTopic'], parameters: { machines: 4, historyDays: 1, liveHours: 6, failing: 1 }, prints: [/press-04: above 3 sigma from 2026-05-05T/] },
];
