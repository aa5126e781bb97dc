/**
 * The quickstart's demo stream: the parameters `windowpane up` replays with. They are the defaults
 * of the `parameters` cell of notebooks/quickstart.ipynb (a test checks the two agree). The stream
 * loops: after the live days it replays them again, two days later in event time, and so on while
 * `windowpane up` runs, so the notebook stays live however late it is opened.
 */
import { flights } from './flights.js';
import { demoStream, type DemoStream } from './demo.js';
import { DAY } from './split.js';
import type { ReplayProgress } from '../replay/index.js';

export const QUICKSTART_DEMO = {
  /** The env variable that tells the notebook its topic is already being fed. */
  envVariable: 'WINDOWPANE_DEMO_TOPIC',
  liveTopic: 'quickstart-flights',
  historyDays: 14,
  liveDays: 2,
  airports: 6,
  /** 300× event time: an hour of flights every 12 seconds, one pass of the two live days in under 10 minutes. */
  speedup: 300,
} as const;

export interface QuickstartStreamOptions {
  /** Replay speed (default QUICKSTART_DEMO.speedup); a higher one makes a pass shorter. */
  readonly speedup?: number;
  readonly onProgress?: (p: ReplayProgress) => void;
}

/** Prepares the flights data and starts replaying its live part, in a loop, into a fresh demo topic. */
export async function startQuickstartStream(options: QuickstartStreamOptions = {}): Promise<DemoStream> {
  const d = QUICKSTART_DEMO;
  const data = await flights({ historyDays: d.historyDays, liveDays: d.liveDays, airports: d.airports });
  return demoStream({
    file: data.live,
    topic: d.liveTopic,
    speedup: options.speedup ?? d.speedup,
    // each pass is the live days again, moved on by their length: Jan 15–16, then Jan 17–18, ...
    loop: { shiftMs: d.liveDays * DAY },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** How long one pass of the live days takes at `speedup`, in ms. */
export function quickstartPassMs(speedup: number = QUICKSTART_DEMO.speedup): number {
  return (QUICKSTART_DEMO.liveDays * DAY) / speedup;
}
