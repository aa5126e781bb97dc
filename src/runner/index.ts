/** The headless notebook runner: `windowpane run` as a library. */
export { runNotebook, defaultOutputPath } from './run.js';
export { outcomeText } from './execute.js';
export { parseParameters, parseParameterValue, injectParameters, renderParameters, type Parameters } from './parameters.js';
export { parseUntil, headlessEnv, headlessUntilFromEnv, HEADLESS_ENV, UNTIL_ENV, type HeadlessUntil } from './headless.js';
export { readNotebook, assertNotebook, writeNotebookAtomic, type Notebook, type Cell, type CodeCell, type Output } from './notebook.js';
export { startJupyterServer, type JupyterServer, type ServerOptions } from './server.js';
export { exportHtml } from './html.js';
export { PROVENANCE_KEY, type ProvenanceEntry } from './outputs.js';
export type { RunOptions, RunResult, RunOutcome, ProgressEvent, CellStatus } from './types.js';
