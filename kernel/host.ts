import type { NotebookHost } from '../src/notebook/host.js';
import type { CommManager } from './comm/manager.js';
import { isHeadless } from './headless.js';
import { currentExecution } from './session/context.js';

/**
 * The kernel's NotebookHost: what src/ may ask of the notebook. Display and signal follow the
 * calling code's execution (AsyncLocalStorage), so background work reaches the cell that started it.
 */
export function createNotebookHost(comms: CommManager): NotebookHost {
  return {
    display(data, options = {}) {
      const ctx = currentExecution();
      if (ctx) ctx.display(data, options);
    },
    clearOutput(wait = false) {
      currentExecution()?.clearOutput(wait);
    },
    openComm: (targetName, data, metadata, buffers) => comms.open(targetName, data, metadata, buffers),
    registerCommTarget: (targetName, handler) => comms.registerTarget(targetName, handler),
    get signal() {
      return currentExecution()?.signal;
    },
    // Read when asked: on a server the runner did not start, it sets the variable after the kernel started.
    get headless() {
      return isHeadless();
    },
  };
}
