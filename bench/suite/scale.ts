/** How big a run is: `full` for the committed report, `quick` while developing (seconds, not minutes). */
export interface Scale {
  readonly name: 'full' | 'quick';
  readonly repeats: number;
  /** History: generated events per case. */
  readonly historyEvents: readonly number[];
  /** Kafka ingest: backlog messages. */
  readonly ingestMessages: number;
  /** Live: events per second per run, and seconds per run. */
  readonly liveRates: readonly number[];
  readonly liveSeconds: number;
  readonly liveRepeats: number;
  /** Live saturation: seconds per step, and the highest offered rate tried. */
  readonly saturationSeconds: number;
  readonly saturationMaxRate: number;
  /** Nexmark: events in the topic. */
  readonly nexmarkEvents: number;
  /** Kernel: starts and executes per kernel. */
  readonly kernelStarts: number;
  readonly kernelExecutes: number;
  /** High cardinality: events, distinct keys, and the memoryLimit of the spilling half. */
  readonly highCardinality: { readonly events: number; readonly keys: number; readonly limit: string };
  /** Session windows: events of the history phase, events of the live phase (read from Kafka), keys. */
  readonly sessions: { readonly events: number; readonly liveEvents: number; readonly keys: number };
  /** Scale-out on engine 'flink': Nexmark events, live rates, runs of each. */
  readonly flink: { readonly nexmarkEvents: number; readonly liveRates: readonly number[]; readonly repeats: number };
}

export const SCALES: Readonly<Record<Scale['name'], Scale>> = {
  full: {
    name: 'full', repeats: 3, historyEvents: [10_000_000, 100_000_000], ingestMessages: 1_000_000,
    liveRates: [1_000, 5_000, 20_000], liveSeconds: 20, liveRepeats: 2, saturationSeconds: 30, saturationMaxRate: 400_000,
    nexmarkEvents: 500_000, kernelStarts: 5, kernelExecutes: 30,
    highCardinality: { events: 4_000_000, keys: 1_000_000, limit: '128MB' },
    sessions: { events: 2_000_000, liveEvents: 200_000, keys: 10_000 },
    flink: { nexmarkEvents: 100_000, liveRates: [1_000, 5_000, 20_000], repeats: 2 },
  },
  quick: {
    name: 'quick', repeats: 2, historyEvents: [200_000], ingestMessages: 50_000,
    liveRates: [1_000], liveSeconds: 10, liveRepeats: 1, saturationSeconds: 10, saturationMaxRate: 20_000,
    nexmarkEvents: 50_000, kernelStarts: 2, kernelExecutes: 5,
    highCardinality: { events: 400_000, keys: 100_000, limit: '32MB' },
    sessions: { events: 200_000, liveEvents: 20_000, keys: 10_000 },
    flink: { nexmarkEvents: 10_000, liveRates: [1_000], repeats: 1 },
  },
};
