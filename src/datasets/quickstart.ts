/**
 * The quickstart's demo stream: the parameters `windowpane up` replays with. They are the defaults
 * of the `parameters` cell of notebooks/quickstart.ipynb (a test checks the two agree).
 */
import { flights } from './flights.js';
import { demoStream, type DemoStream } from './demo.js';
import type { ReplayProgress } from '../replay/index.js';

export const QUICKSTART_DEMO = {
  /** The env variable that tells the notebook its topic is already being fed. */
  envVariable: 'WINDOWPANE_DEMO_TOPIC',
  liveTopic: 'quickstart-flights',
  historyDays: 14,
  liveDays: 2,
  airports: 6,
  /** 300× event time: an hour of flights every 12 seconds, the two live days in under 10 minutes. */
  speedup: 300,
} as const;

/** Prepares the flights data and starts replaying its live part into a fresh demo topic. */
export async function startQuickstartStream(onProgress?: (p: ReplayProgress) => void): Promise<DemoStream> {
  const d = QUICKSTART_DEMO;
  const data = await flights({ historyDays: d.historyDays, liveDays: d.liveDays, airports: d.airports });
  return demoStream({ file: data.live, topic: d.liveTopic, speedup: d.speedup, ...(onProgress ? { onProgress } : {}) });
}
