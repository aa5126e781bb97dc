/** Live charts and tables: the public surface of src/chart. */
export { chart, LiveChart, type ChartResult } from './chart.js';
export { table, LiveTable, type TableOptions } from './table.js';
export { compileChart, type ChartSpec, type CompiledChart, type SpecOptions, type SpecVersion } from './spec.js';
export type { ChartOptions, LiveOptions } from './options.js';
export type { ChartSource } from './source.js';
export { ChartModel, type ModelSummary } from './model.js';
export { StaticRenderer, svgToPng } from './render.js';
export { CHART_MIME, COMM_TARGET, type ChartPayload, type ChartState, type StatusLine, type StatusPhase, type ToFrontend } from './protocol.js';
// a query shown alone in a cell: its live status line (this module sets the queries' presenter)
export { LiveStatus, presentStatus } from './status/display.js';
export type { ChartRow, ChartTuple, WindowStatus } from './changelog.js';
