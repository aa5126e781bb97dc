/**
 * The kernel process: `node dist/kernel/main.js -f <connection file>`, as the kernelspec written by
 * `windowpane kernel install` runs it. See kernel/README.md for the threads and message flow.
 */
import { errorMessage } from '../src/errors.js';
import { messages } from '../src/messages.js';
import { startKernel } from './protocol/kernel.js';
import { createSession } from './session/index.js';

const at = process.argv.indexOf('-f');
const connectionFile = at >= 0 ? process.argv[at + 1] : undefined;
if (connectionFile === undefined) {
  process.stderr.write(messages.kernelUsageMissingConnection() + '\n');
  process.exit(2);
}
try {
  await startKernel({ connectionFile, createSession });
} catch (e) {
  process.stderr.write(`windowpane kernel: ${errorMessage(e)}\n`);
  process.exit(1);
}
