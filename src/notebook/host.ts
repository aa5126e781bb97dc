/**
 * What the library may ask of the notebook it runs in, without depending on the kernel: show and
 * update displays, and talk to the frontend over comms. The kernel registers its implementation at
 * start-up; in a plain Node script there is no host and notebook-only features say so.
 */
export type MimeBundle = Record<string, unknown>;

/** The kernel's display protocol: a value's method under this symbol returns its MIME bundle. */
export const MIME_BUNDLE = Symbol.for('windowpane.mimeBundle');

export interface HostComm {
  readonly commId: string;
  readonly targetName: string;
  send(data: unknown, buffers?: readonly Uint8Array[]): void;
  close(data?: unknown): void;
  onMessage(handler: (data: unknown, buffers: readonly Uint8Array[]) => void): void;
  onClose(handler: (data: unknown) => void): void;
}

export interface NotebookHost {
  /** Shows a bundle in the calling cell's output; with `displayId`, later updates can replace it. */
  display(data: MimeBundle, options?: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }): void;
  /** Clears the calling cell's output (`wait`: when the next output arrives). Kernel hosts only. */
  clearOutput?(wait?: boolean): void;
  /** Opens a comm from the kernel to the frontend (comm_open on IOPub, parented to the calling cell). */
  openComm(targetName: string, data?: unknown, metadata?: Record<string, unknown>, buffers?: readonly Uint8Array[]): HostComm;
  /** Handles comms the frontend opens to the kernel for `targetName`. */
  registerCommTarget(targetName: string, handler: (comm: HostComm, data: unknown, buffers: readonly Uint8Array[]) => void): void;
  /** An AbortSignal that fires when the calling cell is interrupted. */
  readonly signal: AbortSignal | undefined;
  /** Whether the kernel runs headless (the runner sets WINDOWPANE_HEADLESS=1): live queries then stay bounded. */
  readonly headless: boolean;
}

let host: NotebookHost | undefined;

export function setNotebookHost(h: NotebookHost | undefined): void {
  host = h;
}

export function notebookHost(): NotebookHost | undefined {
  return host;
}
