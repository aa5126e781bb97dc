/**
 * HTML export with nbconvert from the project's Python environment. nbconvert shows each output's
 * richest MIME type it can render statically, so a chart appears as its image fallback; charts of
 * windowpane become interactive where JavaScript runs (interactive.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import { venvBin } from '../jupyter/venv.js';
import { addChartScript, withInteractiveCharts } from './interactive.js';
import { readNotebook } from './notebook.js';

/** Converts `notebook` to HTML at `file`; resolves with `file`. */
export async function exportHtml(notebook: string, file: string): Promise<string> {
  const jupyter = venvBin('jupyter');
  if (!existsSync(jupyter)) throw new EnvironmentError('venv-missing', messages.venvMissing(jupyter));
  mkdirSync(dirname(file), { recursive: true });
  const name = extname(file) === '.html' ? basename(file, '.html') : basename(file);
  // Charts get their interactive HTML in a copy for the export (same file name: it is the page title).
  const { notebook: copy, charts, vegaLite } = withInteractiveCharts(readNotebook(notebook));
  const scratch = charts > 0 ? mkdtempSync(join(tmpdir(), 'windowpane-html-')) : undefined;
  let source = notebook;
  if (scratch !== undefined) {
    source = join(scratch, basename(notebook));
    writeFileSync(source, JSON.stringify(copy));
  }
  try {
    const written = await nbconvert(source, dirname(file), name, file);
    if (charts > 0) writeFileSync(written, addChartScript(readFileSync(written, 'utf8'), { vegaLite }));
    return written;
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

async function nbconvert(notebook: string, outDir: string, name: string, file: string): Promise<string> {
  const jupyter = venvBin('jupyter');
  const args = ['nbconvert', '--to', 'html', '--output-dir', outDir, '--output', name, notebook];
  const child = spawn(jupyter, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (e) => resolve(e.message));
    child.once('close', (c, signal) => resolve(c ?? signal ?? 1));
  });
  const written = extname(file) === '.html' ? file : `${file}.html`;
  if (code !== 0 || !existsSync(written)) {
    throw new EnvironmentError('html-export-failed', messages.htmlExportFailed(file, log.trim().split('\n').slice(-15).join('\n')));
  }
  return written;
}
