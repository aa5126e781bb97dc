/**
 * Progress of a run on the console: on a terminal one line that updates in place ("cell 3/12 ·
 * 14.2s"), elsewhere (CI, a pipe) one plain line per event.
 */
import type { ProgressEvent } from './types.js';

export interface ProgressSink {
  (event: ProgressEvent): void;
  /** Stops the ticking line and ends it. */
  close(): void;
}

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressSink {
  const tty = stream.isTTY === true && !(env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0');
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let line = '';
  let ticker: NodeJS.Timeout | undefined;
  const draw = () => stream.write(`\r\x1b[2K${line} · ${elapsed()}`);
  const endLine = () => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
    if (tty && line !== '') stream.write('\n');
    line = '';
  };
  const plain = (text: string) => stream.write(`${text}\n`);

  const sink = ((event: ProgressEvent) => {
    switch (event.kind) {
      case 'server':
        plain(event.started ? `started a Jupyter server at ${event.url}` : `using the Jupyter server at ${event.url}`);
        return;
      case 'kernel':
        plain(`kernel ${event.name} (${event.language}) is ready`);
        return;
      case 'cell-start':
        if (tty) {
          line = `cell ${event.cell}/${event.total}  ${event.firstLine}`;
          draw();
          ticker ??= setInterval(draw, 1000);
          ticker.unref();
        } else {
          plain(`cell ${event.cell}/${event.total} started  ${event.firstLine}`);
        }
        return;
      case 'cell-end':
        if (tty) {
          line = `cell ${event.cell}/${event.total} ${event.status} in ${(event.ms / 1000).toFixed(1)}s`;
          draw();
          if (event.status !== 'completed') endLine();
        } else {
          plain(`cell ${event.cell}/${event.total} ${event.status} in ${(event.ms / 1000).toFixed(1)}s (elapsed ${elapsed()})`);
        }
        return;
      case 'saved':
        endLine();
        plain(`wrote ${event.path}`);
        return;
      case 'done':
        endLine();
        plain(`${event.outcome.status === 'ok' ? 'finished' : 'failed'} in ${(event.ms / 1000).toFixed(1)}s`);
        return;
    }
  }) as ProgressSink;
  sink.close = endLine;
  return sink;
}
