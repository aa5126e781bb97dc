/**
 * windowpane: the library. Usable from any Node script and preloaded in the kernel.
 * Each area appends its public exports below.
 */
export * from './errors.js';
export { loadKafkaSettings, type KafkaSettings } from './config/settings.js';
export { kafkaClient, resolveBrokers, resolveSettings } from './kafka/connect.js';
export { topicEnds } from './kafka/topic.js';
export { notebookHost, setNotebookHost, type NotebookHost, type HostComm } from './notebook/host.js';
// engine: the changelog contract (src/engine/changelog/types.ts)
export { flattenRow, changelogKey, type ChangelogRow, type ChangelogBatch, type ChangeKind, type FlatRow, type Scalar } from './engine/changelog/types.js';
// runner and replay: headless notebooks (src/runner) and file → Kafka replay (src/replay)
export { runNotebook, parseParameters, parseUntil, headlessUntilFromEnv, HEADLESS_ENV, UNTIL_ENV, type RunOptions, type RunResult, type RunOutcome, type HeadlessUntil } from './runner/index.js';
export { replay, type ReplayOptions, type ReplayResult, type ReplayProgress } from './replay/index.js';
// engine: sources, queries (SQL and builder), runs (src/engine/index.ts)
export * from './engine/index.js';
// charts: live Vega-Lite charts and tables over a changelog or plain data (src/chart)
export * from './chart/index.js';
// example data and demo streams (src/datasets): the notebooks' data sets and `windowpane up`'s stream
export { datasets, dataDir, demoStream, freshTopic, type SplitDataset, type TelemetryDataset, type CustomersDataset, type DemoStream, type DemoStreamOptions } from './datasets/index.js';
