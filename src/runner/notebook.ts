/**
 * The .ipynb file: nbformat 4 types (only what the runner touches), a check at the edge, and an
 * atomic write so a reader never sees half a notebook.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NotebookError } from '../errors.js';
import { messages } from '../messages.js';

export type MultilineString = string | string[];
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Output =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: MultilineString }
  | { output_type: 'display_data'; data: JsonObject; metadata: JsonObject }
  | { output_type: 'execute_result'; execution_count: number | null; data: JsonObject; metadata: JsonObject }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface CodeCell {
  cell_type: 'code';
  id?: string;
  source: MultilineString;
  metadata: JsonObject;
  outputs: Output[];
  execution_count: number | null;
}

export interface TextCell {
  cell_type: 'markdown' | 'raw';
  id?: string;
  source: MultilineString;
  metadata: JsonObject;
  attachments?: JsonObject;
}

export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
}

export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSource = (v: unknown): v is MultilineString => typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

/** Checks the parts of nbformat 4 the runner relies on; the message names the first problem. */
export function assertNotebook(value: unknown, path: string): asserts value is Notebook {
  const fail = (why: string): never => {
    throw new NotebookError('invalid-notebook', messages.notebookInvalid(path, why), { context: { path } });
  };
  if (!isObject(value)) fail('the top level is not a JSON object');
  const nb = value as Record<string, unknown>;
  if (nb.nbformat !== 4) fail(`nbformat is ${JSON.stringify(nb.nbformat)}, but only nbformat 4 is supported`);
  if (typeof nb.nbformat_minor !== 'number') fail('"nbformat_minor" is missing');
  if (!isObject(nb.metadata)) fail('"metadata" is missing or not an object');
  if (!Array.isArray(nb.cells)) fail('"cells" is missing or not a list');
  (nb.cells as unknown[]).forEach((cell, i) => {
    const where = `cell ${i + 1}`;
    if (!isObject(cell)) return fail(`${where} is not an object`);
    if (cell.cell_type !== 'code' && cell.cell_type !== 'markdown' && cell.cell_type !== 'raw') fail(`${where} has cell_type ${JSON.stringify(cell.cell_type)} (expected code, markdown or raw)`);
    if (!isSource(cell.source)) fail(`${where} has no "source" string or list of strings`);
    if (cell.metadata !== undefined && !isObject(cell.metadata)) fail(`${where} has "metadata" that is not an object`);
    if (cell.cell_type === 'code' && cell.outputs !== undefined && !Array.isArray(cell.outputs)) fail(`${where} has "outputs" that is not a list`);
  });
}

/** Reads and checks a notebook; fills in the optional fields the runner writes. */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new NotebookError('notebook-unreadable', messages.notebookUnreadable(path, String(cause)), { cause, context: { path } });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new NotebookError('invalid-notebook', messages.notebookInvalid(path, `it is not valid JSON (${String(cause)})`), { cause, context: { path } });
  }
  assertNotebook(parsed, path);
  for (const cell of parsed.cells) {
    cell.metadata ??= {};
    if (cell.cell_type === 'code') {
      cell.outputs ??= [];
      cell.execution_count ??= null;
    }
  }
  return parsed;
}

/** Writes beside the target and renames over it, so the file is always a whole notebook. */
export function writeNotebookAtomic(path: string, nb: Notebook): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(nb, null, 1) + '\n');
  renameSync(tmp, path);
}
