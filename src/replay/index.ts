/** Replay a file into Kafka in event-time order: `windowpane replay` as a library. */
export { replay, type ReplayOptions, type ReplayResult, type ReplayProgress, type BadRow } from './replay.js';
export { parseRate, pacingFrom, type Pacing } from './pacing.js';
