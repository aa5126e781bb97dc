/**
 * Kernel-internal work on the main thread that an interrupt must never terminate: loading the
 * session (module evaluation of TypeScript and the library), compiling and type-checking cells.
 * A counter in shared memory tells the I/O thread, which waits for it to drop to zero before it
 * terminates a busy main thread (see kernel/README.md, "Interrupts"). Cells' own code is never marked.
 */
let counter: Int32Array | undefined;

/** Main thread: creates the shared counter, to hand to the I/O thread in its workerData. */
export function shareInternalWork(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(4);
  counter = new Int32Array(buffer);
  return buffer;
}

export function beginInternalWork(): void {
  if (counter) Atomics.add(counter, 0, 1);
}

export function endInternalWork(): void {
  if (counter) Atomics.sub(counter, 0, 1);
}

/** Runs synchronous kernel work marked as internal. */
export function internalWork<T>(fn: () => T): T {
  beginInternalWork();
  try {
    return fn();
  } finally {
    endInternalWork();
  }
}

/** I/O thread: whether the main thread is inside internal work now. */
export function inInternalWork(buffer: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(buffer), 0) > 0;
}
