/**
 * The IOPub messages that change a notebook's outputs, as a union tagged by `kind`, converted once
 * from the wire so the output model below never looks at raw Jupyter messages.
 */
import type { KernelMessage } from '@jupyterlab/services';
import type { JsonObject } from './notebook.js';

interface Base {
  /** msg_id of the execute_request this output belongs to (parent_header.msg_id). */
  readonly parent: string | undefined;
}

export type IopubEvent =
  | (Base & { readonly kind: 'stream'; readonly name: 'stdout' | 'stderr'; readonly text: string })
  | (Base & { readonly kind: 'display_data'; readonly data: JsonObject; readonly metadata: JsonObject; readonly displayId: string | undefined })
  | (Base & { readonly kind: 'update_display_data'; readonly data: JsonObject; readonly metadata: JsonObject; readonly displayId: string })
  | (Base & { readonly kind: 'execute_result'; readonly data: JsonObject; readonly metadata: JsonObject; readonly executionCount: number | null; readonly displayId: string | undefined })
  | (Base & { readonly kind: 'error'; readonly ename: string; readonly evalue: string; readonly traceback: string[] })
  | (Base & { readonly kind: 'clear_output'; readonly wait: boolean });

const obj = (v: unknown): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

function displayIdOf(content: Record<string, unknown>): string | undefined {
  const id = obj(content.transient).display_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The output-changing event in an IOPub message, or undefined for status, comms, input echo... */
export function toIopubEvent(msg: KernelMessage.IIOPubMessage): IopubEvent | undefined {
  const parentHeader = msg.parent_header as Partial<KernelMessage.IHeader>;
  const parent = typeof parentHeader.msg_id === 'string' ? parentHeader.msg_id : undefined;
  const c = msg.content as Record<string, unknown>;
  switch (msg.header.msg_type) {
    case 'stream':
      return { kind: 'stream', parent, name: c.name === 'stderr' ? 'stderr' : 'stdout', text: str(c.text) };
    case 'display_data':
      return { kind: 'display_data', parent, data: obj(c.data), metadata: obj(c.metadata), displayId: displayIdOf(c) };
    case 'update_display_data': {
      const displayId = displayIdOf(c);
      return displayId === undefined ? undefined : { kind: 'update_display_data', parent, data: obj(c.data), metadata: obj(c.metadata), displayId };
    }
    case 'execute_result':
      return {
        kind: 'execute_result',
        parent,
        data: obj(c.data),
        metadata: obj(c.metadata),
        executionCount: typeof c.execution_count === 'number' ? c.execution_count : null,
        displayId: displayIdOf(c),
      };
    case 'error':
      return { kind: 'error', parent, ename: str(c.ename), evalue: str(c.evalue), traceback: Array.isArray(c.traceback) ? c.traceback.map(str) : [] };
    case 'clear_output':
      return { kind: 'clear_output', parent, wait: c.wait === true };
    case 'status':
    case 'execute_input':
    case 'comm_open':
    case 'comm_msg':
    case 'comm_close':
    case 'shutdown_reply':
    case 'debug_event':
      return undefined;
  }
}
