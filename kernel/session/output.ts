import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { currentExecution, executionStore } from './context.js';

type StreamName = 'stdout' | 'stderr';

const sink = (name: StreamName) =>
  new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      currentExecution()?.stream(name, chunk.toString());
      done();
    },
  });

/** A console whose output goes to the calling cell (it writes synchronously, so the store is the caller's). */
const routed = new Console({ stdout: sink('stdout'), stderr: sink('stderr'), colorMode: false });

const METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'table', 'dir', 'dirxml', 'group', 'groupCollapsed', 'groupEnd', 'count', 'countReset', 'time', 'timeEnd', 'timeLog', 'assert'] as const;

let installs = 0;
let uninstall: (() => void) | undefined;

/**
 * Routes `console.*` to the execution the caller belongs to (else the latest one, as context.ts
 * says), and `process.stdout/stderr.write` from inside a cell's async context to that cell (other
 * writes, the kernel's own logs, still reach the real streams). Reference-counted; returns the undo.
 */
export function routeOutput(): () => void {
  if (installs++ === 0) uninstall = install();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--installs === 0) uninstall?.();
  };
}

function install(): () => void {
  const target = console as unknown as Record<string, (...args: unknown[]) => void>;
  const originals = new Map(METHODS.map((m) => [m, target[m]!]));
  const proxy = routed as unknown as Record<string, (...args: unknown[]) => void>;
  for (const m of METHODS) {
    const original = originals.get(m)!;
    target[m] = (...args: unknown[]) => (currentExecution() ? proxy[m]!(...args) : original.apply(console, args));
  }
  const restoreStreams = (['stdout', 'stderr'] as const).map((name) => patchStream(name));
  return () => {
    for (const [m, original] of originals) target[m] = original;
    for (const restore of restoreStreams) restore();
  };
}

function patchStream(name: StreamName): () => void {
  const stream = process[name];
  const { write: original } = stream as { write: (...args: unknown[]) => boolean };
  const write = function (this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const context = executionStore.getStore();
    if (!context) return original.call(this, chunk, encoding, callback);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    context.stream(name, text);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
  stream.write = write;
  return () => {
    stream.write = original;
  };
}
