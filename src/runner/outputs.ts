/**
 * Applies IOPub events to the cells of a notebook the way a notebook frontend does: streams merge,
 * clear_output(wait) waits for the next output, update_display_data replaces every earlier output
 * with its display_id — in any cell, and also after the cell that made it has finished.
 */
import type { IopubEvent } from './iopub.js';
import type { CodeCell, Json, JsonObject, Notebook, Output } from './notebook.js';

export const PROVENANCE_KEY = 'windowpane.provenance';

export interface ProvenanceEntry {
  readonly cell: number;
  readonly display_id?: string;
  readonly provenance: Json;
}

export class NotebookOutputs {
  private readonly owners = new Map<string, CodeCell>();
  private readonly clearPending = new WeakSet<CodeCell>();
  private readonly displays = new Map<string, Set<Output>>();
  private readonly displayIdOf = new WeakMap<Output, string>();
  /** Count of events applied to cells that had finished: updates that arrived after idle. */
  lateUpdates = 0;

  constructor(private readonly nb: Notebook) {}

  /** Outputs of execute request `msgId` go to `cell`. */
  own(msgId: string, cell: CodeCell): void {
    this.owners.set(msgId, cell);
  }

  /** Applies one event; returns whether the notebook changed. `running` is the cell now executing. */
  apply(event: IopubEvent, running?: CodeCell): boolean {
    if (event.kind === 'update_display_data') return this.update(event.displayId, event.data, event.metadata, running);
    const cell = event.parent === undefined ? undefined : this.owners.get(event.parent);
    if (!cell) return false;
    if (cell !== running) this.lateUpdates++;
    switch (event.kind) {
      case 'clear_output':
        if (event.wait) this.clearPending.add(cell);
        else this.clear(cell);
        return true;
      case 'stream': {
        this.flushClear(cell);
        const last = cell.outputs.at(-1);
        if (last?.output_type === 'stream' && last.name === event.name) {
          last.text = (Array.isArray(last.text) ? last.text.join('') : last.text) + event.text;
        } else {
          cell.outputs.push({ output_type: 'stream', name: event.name, text: event.text });
        }
        return true;
      }
      case 'display_data':
        this.push(cell, { output_type: 'display_data', data: event.data, metadata: event.metadata }, event.displayId);
        return true;
      case 'execute_result':
        this.push(cell, { output_type: 'execute_result', execution_count: event.executionCount, data: event.data, metadata: event.metadata }, event.displayId);
        return true;
      case 'error':
        this.push(cell, { output_type: 'error', ename: event.ename, evalue: event.evalue, traceback: event.traceback }, undefined);
        return true;
    }
  }

  /** Adds an output the runner itself makes (a timeout or a dead kernel) to a cell. */
  addError(cell: CodeCell, ename: string, evalue: string): void {
    this.push(cell, { output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] }, undefined);
  }

  /** Every live query's provenance found in output metadata, in notebook order. */
  provenance(): ProvenanceEntry[] {
    const found: ProvenanceEntry[] = [];
    this.nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== 'code') return;
      for (const out of cell.outputs) {
        if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
        const p = out.metadata[PROVENANCE_KEY];
        if (p === undefined) continue;
        const displayId = this.displayIdOf.get(out);
        found.push({ cell: i + 1, ...(displayId !== undefined ? { display_id: displayId } : {}), provenance: p });
      }
    });
    return found;
  }

  private update(displayId: string, data: JsonObject, metadata: JsonObject, running: CodeCell | undefined): boolean {
    const targets = this.displays.get(displayId);
    if (!targets || targets.size === 0) return false;
    for (const out of targets) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      out.data = data;
      out.metadata = metadata;
    }
    if (running === undefined || ![...targets].some((o) => running.outputs.includes(o))) this.lateUpdates++;
    return true;
  }

  private push(cell: CodeCell, out: Output, displayId: string | undefined): void {
    this.flushClear(cell);
    cell.outputs.push(out);
    if (displayId === undefined) return;
    this.displayIdOf.set(out, displayId);
    const set = this.displays.get(displayId) ?? new Set<Output>();
    set.add(out);
    this.displays.set(displayId, set);
  }

  private flushClear(cell: CodeCell): void {
    if (!this.clearPending.has(cell)) return;
    this.clearPending.delete(cell);
    this.clear(cell);
  }

  private clear(cell: CodeCell): void {
    for (const out of cell.outputs) {
      const id = this.displayIdOf.get(out);
      if (id !== undefined) this.displays.get(id)?.delete(out);
    }
    cell.outputs = [];
  }
}
