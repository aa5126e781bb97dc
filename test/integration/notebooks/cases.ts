/**
 * The example notebooks and the small parameters their headless test runs use. Topic parameters
 * get a unique name per run; sizes are cut down so that every notebook runs in seconds.
 */
export interface NotebookCase {
  readonly name: string;
  /** Parameters whose values are topic names: replaced by unique ones. */
  readonly topics: readonly string[];
  readonly parameters: Readonly<Record<string, string | number>>;
}

export const CASES: readonly NotebookCase[] = [
  { name: 'quickstart', topics: ['liveTopic'], parameters: { historyDays: 2, liveDays: 1, airports: 3, windowSize: '6 hours' } },
  { name: 'wordcount', topics: ['liveTopic'], parameters: { liveDays: 2, windowSize: '1 day', minCount: 10 } },
  { name: 'uppercase', topics: ['inputTopic', 'outputTopic'], parameters: { windowSize: '12 hours', minCount: 3 } },
  { name: 'fraud', topics: ['liveTopic'], parameters: { cards: 60, historyDays: 3, liveHours: 3, frauds: 2 } },
  { name: 'iot', topics: ['liveTopic'], parameters: { devices: 6, historyHours: 6, liveHours: 2 } },
  { name: 'customer360', topics: ['liveTopic'], parameters: { customers: 80, historyDays: 3, liveHours: 3 } },
  { name: 'maintenance', topics: ['liveTopic'], parameters: { machines: 4, historyDays: 1, liveHours: 6, failing: 1 } },
];
