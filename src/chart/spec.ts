/**
 * A chart spec is a Vega-Lite v5 or v6 spec without data. Compiling it: (1) validate, (2) name the
 * data "windowpane", (3) style window status, (4) compile with vega-lite, (5) add the summary line,
 * (6) keep the view sized to its content, (7) make the scale domains stable as rows come (domains.ts).
 * The result is a plain Vega spec that the kernel renders to SVG/PNG and the extension draws live.
 */
import type { Spec as VegaSpec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ChartError } from '../errors.js';
import { messages } from '../messages.js';
import { stableDomains } from './domains.js';
import { lodPlan, type LodPlan } from './lod/plan.js';
import { addSummaryLine, styleWindowStatus } from './styling.js';

export const DATA_NAME = 'windowpane';

/** A Vega-Lite spec without `data`: { mark, encoding, ... }. */
export type ChartSpec = Readonly<Record<string, unknown>>;
export type SpecVersion = 'v5' | 'v6';

export interface SpecOptions {
  /** Style provisional/final/revised windows apart (default true). */
  readonly statusStyle?: boolean;
  /** Show the status and late-event summary line (default true for changelogs). */
  readonly summary?: boolean;
}

export interface CompiledChart {
  readonly version: SpecVersion;
  /** The Vega-Lite spec actually compiled (named data, status channels). */
  readonly vegaLite: Record<string, unknown>;
  readonly vega: VegaSpec;
  readonly warnings: readonly string[];
  /** How the chart draws more rows than its point budget (lod/plan.ts). */
  readonly lod: LodPlan;
}

export function assertChartSpec(spec: unknown): asserts spec is ChartSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ChartError('chart.spec', messages.chartSpecNotObject(Array.isArray(spec) ? 'an array' : String(spec)));
  }
  if ('data' in spec && (spec as ChartSpec).data !== undefined) {
    throw new ChartError('chart.spec.data', messages.chartSpecHasData(JSON.stringify((spec as ChartSpec).data).slice(0, 80)));
  }
}

export function specVersion(spec: ChartSpec): SpecVersion {
  const schema = spec.$schema;
  if (schema === undefined) return 'v6';
  const m = typeof schema === 'string' ? /vega-lite\/v(\d+)/.exec(schema) : null;
  if (m?.[1] === '5') return 'v5';
  if (m?.[1] === '6') return 'v6';
  const shown = JSON.stringify(schema);
  throw new ChartError('chart.spec.schema', messages.chartSpecSchema(shown), { context: { schema: shown } });
}

function capturingLogger(warnings: string[]) {
  let level = 0;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]): never {
      throw new ChartError('chart.spec.compile', messages.chartSpecInvalid(args.map(String).join(' ')));
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

export function compileChart(spec: unknown, options: SpecOptions = {}): CompiledChart {
  // 1. validate
  assertChartSpec(spec);
  const version = specVersion(spec);
  // 2. name the data
  let vegaLite: Record<string, unknown> = { ...spec, data: { name: DATA_NAME } };
  // 3. style window status
  if (options.statusStyle ?? true) vegaLite = styleWindowStatus(vegaLite);
  // 4. compile
  const warnings: string[] = [];
  let vega: VegaSpec;
  try {
    vega = compile(vegaLite as unknown as TopLevelSpec, { logger: capturingLogger(warnings) }).spec;
  } catch (e) {
    if (e instanceof ChartError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new ChartError('chart.spec.compile', messages.chartSpecInvalid(why), { cause: e });
  }
  // 5. the summary line
  if (options.summary ?? true) vega = addSummaryLine(vega);
  // 6. fit the content on every update
  vega = { ...vega, autosize: resizing(vega.autosize) };
  // 7. domains that do not move with every row
  vega = stableDomains(vega, vegaLite);
  return { version, vegaLite, vega, warnings, lod: lodPlan(spec) };
}

/**
 * Vega sizes a view to its axes, legends and titles only when it is first laid out unless the
 * autosize says `resize`. A live chart starts empty and grows: without it the legend and the axis
 * titles that appear with the data fall outside the canvas (and the static SVG/PNG) and are cut off.
 */
function resizing(autosize: VegaSpec['autosize']): VegaSpec['autosize'] {
  if (autosize === undefined) return { type: 'pad', resize: true };
  if (typeof autosize === 'string') return { type: autosize, resize: true };
  if ('signal' in autosize) return autosize;
  return { ...autosize, resize: autosize.resize ?? true };
}
