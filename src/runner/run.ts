/**
 * runNotebook: execute a notebook headless.
 *
 *   1. read and check the .ipynb
 *   2. a Jupyter Server: the one given, else a private one (its kernels get the headless environment,
 *      and the windowpane kernelspec is this package's own)
 *   3. find the kernel, inject the parameters in its language, clear old outputs
 *   4. start the kernel (and, on a given server, set the headless environment inside it)
 *   5. run the cells (execute.ts), saving after each
 *   6. export HTML if asked; shut the kernel and the server down
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { NotebookError } from '../errors.js';
import { messages } from '../messages.js';
import { executeCell } from './cell.js';
import { executeNotebook } from './execute.js';
import { headlessEnv, headlessUntilFromEnv, renderEnvSetup } from './headless.js';
import { exportHtml } from './html.js';
import { resolveKernelSpec, startKernel, type KernelChoice } from './kernel.js';
import { readNotebook, type Json, type Notebook } from './notebook.js';
import { perRunKernelspec } from './kernelspec.js';
import { injectParameters } from './parameters.js';
import { startJupyterServer } from './server.js';
import type { RunOptions, RunResult } from './types.js';

const VERSION = 1;

export function defaultOutputPath(input: string): string {
  const ext = extname(input);
  return join(dirname(input), `${basename(input, ext)}.out${ext || '.ipynb'}`);
}

export async function runNotebook(options: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  // 1. the notebook
  const input = resolve(options.input);
  const nb = readNotebook(input);
  const output = resolve(options.output ?? defaultOutputPath(input));
  const cwd = resolve(options.cwd ?? dirname(input));
  const env = { ...headlessEnv(options.until), ...options.env };
  mkdirSync(dirname(output), { recursive: true });

  // 2. the server
  const spec = options.server ? undefined : await perRunKernelspec(env, options.env?.JUPYTER_PATH ?? process.env.JUPYTER_PATH);
  let server: { baseUrl: string; token: string; stop(): Promise<void>; logTail?: (lines?: number) => string };
  try {
    server = options.server
      ? { baseUrl: options.server.url.replace(/\/?$/, '/'), token: options.server.token, stop: () => Promise.resolve() }
      : await startJupyterServer({ rootDir: cwd, env: spec ? { ...env, JUPYTER_PATH: spec.jupyterPath } : env });
  } catch (e) {
    spec?.remove();
    throw e;
  }
  options.onProgress?.({ kind: 'server', url: server.baseUrl, started: !options.server });
  try {
    // 3. the kernel's spec, the parameters in its language
    const choice: KernelChoice = {
      baseUrl: server.baseUrl,
      token: server.token,
      name: options.kernel ?? notebookKernelName(nb),
      ...(options.server && options.cwd !== undefined ? { path: options.cwd } : {}),
      startupTimeoutMs: options.startupTimeoutMs ?? 60_000,
    };
    const kernelSpec = await resolveKernelSpec(choice);
    injectParameters(nb, options.parameters ?? {}, kernelSpec.language);
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'code') continue;
      cell.outputs = [];
      cell.execution_count = null;
    }

    // 4. the kernel
    const kernel = await startKernel(kernelSpec, choice).catch((e: unknown) => {
      // A kernel that dies while starting printed why to the server's log: show it.
      if (e instanceof NotebookError && e.code === 'kernel-died') throw new NotebookError('kernel-start-failed', messages.kernelStartFailed(kernelSpec.name, String(e.context.why ?? e.message), server.logTail?.(25) ?? ''), { cause: e });
      throw e;
    });
    options.onProgress?.({ kind: 'kernel', name: kernel.name, language: kernel.language });
    try {
      nb.metadata.kernelspec = { name: kernel.name, display_name: kernel.displayName, language: kernel.language };
      nb.metadata.language_info = kernel.info.language_info as unknown as Json;
      let envApplied = !options.server;
      const setup = options.server ? renderEnvSetup(env, kernel.language, headlessUntilFromEnv(env)) : undefined;
      if (setup !== undefined) envApplied = (await executeCell(kernel, { code: setup, silent: true, budgetMs: 30_000 })).kind === 'ok';

      // 5. the cells
      const runMetadata = {
        version: VERSION,
        input_path: relative(dirname(output), input) || basename(input),
        output_path: basename(output),
        parameters: (options.parameters ?? {}) as Json,
        kernel: kernel.name,
        headless: { until: JSON.parse(env.WINDOWPANE_UNTIL ?? 'null') as Json, environment_applied: envApplied },
      };
      const { outcome, lateUpdates } = await executeNotebook({
        nb,
        kernel,
        output,
        runMetadata,
        ...(options.cellTimeoutMs !== undefined ? { cellTimeoutMs: options.cellTimeoutMs } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });

      // 6. HTML, even for a failed run: it shows how far the notebook got
      const html = options.html !== undefined ? await exportHtml(output, resolve(options.html)) : undefined;
      const durationMs = Date.now() - t0;
      options.onProgress?.({ kind: 'done', outcome, ms: durationMs });
      return { outcome, output, notebook: nb, durationMs, lateUpdates, ...(html !== undefined ? { html } : {}) };
    } finally {
      await kernel.close();
    }
  } finally {
    await server.stop();
    spec?.remove();
  }
}

function notebookKernelName(nb: Notebook): string | undefined {
  const spec = nb.metadata.kernelspec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
  return typeof spec.name === 'string' && spec.name !== '' ? spec.name : undefined;
}
