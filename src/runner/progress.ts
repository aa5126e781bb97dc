/**
 * Progress of a run on the console, through the CLI's progress output (src/cli/progress.ts): on a
 * terminal one line with a bar over the cells ("[####....] cell 3/12  df = load() · 14.2s"),
 * elsewhere (CI, a pipe) one plain line per cell started and ended.
 */
import { progressOutput, seconds } from '../cli/progress.js';
import type { ProgressEvent } from './types.js';

export interface ProgressSink {
  (event: ProgressEvent): void;
  /** Stops the ticking line and ends it. */
  close(): void;
}

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressSink {
  const out = progressOutput(stream, env);
  const t0 = Date.now();
  const sink = ((event: ProgressEvent) => {
    switch (event.kind) {
      case 'server':
        return out.log(event.started ? `started a Jupyter server at ${event.url}` : `using the Jupyter server at ${event.url}`);
      case 'kernel':
        return out.log(`kernel ${event.name} (${event.language}) is ready`);
      case 'cell-start':
        if (out.live) return out.update({ label: `cell ${event.cell}/${event.total} `, detail: event.firstLine, fraction: (event.cell - 1) / event.total });
        return out.log(`cell ${event.cell}/${event.total} started  ${event.firstLine}`);
      case 'cell-end': {
        const line = `cell ${event.cell}/${event.total} ${event.status} in ${seconds(event.ms)}`;
        if (out.live && event.status === 'completed') return out.update({ label: line, fraction: event.cell / event.total });
        return out.log(out.live ? line : `${line} (elapsed ${seconds(Date.now() - t0)})`);
      }
      case 'saved':
        return out.log(`wrote ${event.path}`);
      case 'done':
        return out.log(`${event.outcome.status === 'ok' ? 'finished' : 'failed'} in ${seconds(event.ms)}`);
    }
  }) as ProgressSink;
  sink.close = () => out.end();
  return sink;
}
