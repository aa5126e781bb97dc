import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import type { HostComm } from '../../src/notebook/host.js';
import { currentExecution } from '../session/context.js';
import { KernelExecutionContext } from '../protocol/execution-context.js';
import type { IoClient } from '../protocol/io-client.js';
import type { Message } from '../protocol/messages.js';
import type { Header } from '../protocol/wire.js';
import { KernelComm, type CommWire } from './comm.js';

export type CommTargetHandler = (comm: HostComm, data: unknown, buffers: readonly Uint8Array[]) => void;

/**
 * The kernel's comms: targets the library registers, comms either side opens. Messages go out
 * with the header of the request being served (or the cell whose work sends them) as parent, so
 * the frontend can tie them to an output.
 */
export class CommManager {
  private readonly targets = new Map<string, CommTargetHandler>();
  private readonly comms = new Map<string, KernelComm>();

  constructor(private readonly io: IoClient) {}

  registerTarget(targetName: string, handler: CommTargetHandler): void {
    this.targets.set(targetName, handler);
  }

  /** Opens a comm from the kernel (comm_open on IOPub). */
  open(targetName: string, data: unknown = {}, metadata: Record<string, unknown> = {}, buffers: readonly Uint8Array[] = []): KernelComm {
    const comm = new KernelComm(randomUUID().replace(/-/g, ''), targetName, this.wire());
    this.comms.set(comm.commId, comm);
    this.wire().send('comm_open', { comm_id: comm.commId, target_name: targetName, data, target_module: null }, { metadata, buffers });
    return comm;
  }

  handleOpen(msg: Message<'comm_open'>): void {
    const { comm_id, target_name, data } = msg.content;
    const handler = this.targets.get(target_name);
    if (!handler) {
      // The frontend waits for a comm that will never answer; tell it the comm is gone.
      this.io.send('iopub', 'comm_close', { comm_id, data: {} }, msg.header);
      return;
    }
    const comm = new KernelComm(comm_id, target_name, this.wire());
    this.comms.set(comm_id, comm);
    this.guard(target_name, () => handler(comm, data, msg.buffers));
  }

  handleMsg(msg: Message<'comm_msg'>): void {
    const comm = this.comms.get(msg.content.comm_id);
    if (!comm) return log(`windowpane kernel: comm_msg for unknown comm ${msg.content.comm_id}`);
    this.guard(comm.targetName, () => comm.deliver(msg.content.data, msg.buffers));
  }

  handleClose(msg: Message<'comm_close'>): void {
    const comm = this.comms.get(msg.content.comm_id);
    if (comm) this.guard(comm.targetName, () => comm.closedByPeer(msg.content.data));
  }

  info(targetName: string | undefined): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.comms.values()) if (targetName === undefined || c.targetName === targetName) out[c.commId] = { target_name: c.targetName };
    return out;
  }

  private wire(): CommWire {
    return {
      send: (msgType, content, options = {}) => this.io.send('iopub', msgType, content, parentHeader(), options),
      closed: (comm) => this.comms.delete(comm.commId),
    };
  }

  /** A failing handler is reported, never allowed to take the kernel down. */
  private guard(target: string, run: () => void): void {
    try {
      run();
    } catch (e) {
      const text = `comm target ${target} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
      const ctx = currentExecution();
      if (ctx) ctx.stream('stderr', text);
      else log(text);
    }
  }
}

function parentHeader(): Header | null {
  const ctx = currentExecution();
  return ctx instanceof KernelExecutionContext ? ctx.parent : null;
}

function log(text: string): void {
  writeSync(2, `${text}\n`);
}
