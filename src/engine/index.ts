/** The engine's public surface. */
export { source, type Source, type SourceOptions, type HistoryInput, type LiveInput, type KafkaColumn } from './source/define.js';
export type { SourceSpec, HistorySpec, LiveSpec, LiveFormat, StartAt } from './source/types.js';
export { from, SourceQuery, WindowedQuery, GroupedQuery, RunnableQuery } from './builder/builder.js';
export { tumble, hop, cumulate, session, type WindowDef } from './builder/windows.js';
export { run, sql, type QueryRunOptions } from './query/api.js';
export { Query, type QueryStats } from './query/query.js';
export type { QueryProgress, ProgressPhase, HistoryProgress, TopicProgress } from './query/progress.js';
export { presentQueriesWith, type QueryPresenter, type Presentable } from './query/present.js';
export type { BrokerStats } from './run/outage.js';
export type { UntilInput } from './run/bounded.js';
export { setRunDefaults, runDefaults, type RunDefaults } from './run/defaults.js';
export { compileSql, type SourcesInput } from './sql/compile.js';
export { parseDuration, type DurationInput } from './duration.js';
export type { PlanNode, WindowSpec } from './plan/types.js';
export type { EmitMode } from './exec/windowEngine.js';
// sinks and stateless pipelines (src/engine/sink, src/engine/pipeline)
export * from './sink/index.js';
export * from './pipeline/index.js';
// joins: interval joins of two streams (src/engine/join)
export { intervalJoin, type IntervalJoinOptions, type JoinInput } from './join/define.js';
// time hand-off and provenance (src/engine/query/handoff.ts, overlap.ts; src/engine/provenance)
export type { StartAtInput, HandoffInput } from './source/define.js';
export type { TimeInput } from './source/time.js';
export type { TimeHandoffSpec } from './source/types.js';
export type { HandoffKind } from './run/handoff.js';
export type { GapReport } from './run/overlap.js';
export type { Provenance, HandoffReport, HistoryProvenance, KafkaProvenance, FileFingerprint } from './provenance/types.js';
