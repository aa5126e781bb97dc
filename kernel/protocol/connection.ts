import { readFileSync } from 'node:fs';
import { ConfigError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';

/** The connection file Jupyter writes for a kernel (jupyter_client `write_connection_file`). */
export interface ConnectionInfo {
  readonly transport: 'tcp' | 'ipc';
  readonly ip: string;
  readonly key: string;
  readonly signature_scheme: string;
  readonly shell_port: number;
  readonly iopub_port: number;
  readonly stdin_port: number;
  readonly control_port: number;
  readonly hb_port: number;
}

export type Channel = 'shell' | 'iopub' | 'stdin' | 'control' | 'hb';

const PORTS = ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const;

/** Checks a parsed connection file once, at the edge. */
export function parseConnectionInfo(raw: unknown, where: string): ConnectionInfo {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('kernel-connection', messages.kernelConnectionInvalid(where, 'not a JSON object'));
  const o = raw as Record<string, unknown>;
  const transport = o.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') throw new ConfigError('kernel-connection', messages.kernelConnectionInvalid(where, `transport ${JSON.stringify(transport)}`));
  const ip = o.ip ?? '127.0.0.1';
  if (typeof ip !== 'string') throw new ConfigError('kernel-connection', messages.kernelConnectionInvalid(where, 'ip'));
  const key = o.key ?? '';
  if (typeof key !== 'string') throw new ConfigError('kernel-connection', messages.kernelConnectionInvalid(where, 'key'));
  const scheme = o.signature_scheme ?? 'hmac-sha256';
  if (typeof scheme !== 'string') throw new ConfigError('kernel-connection', messages.kernelConnectionInvalid(where, 'signature_scheme'));
  const ports = {} as Record<(typeof PORTS)[number], number>;
  for (const p of PORTS) {
    const v = o[p];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 65535) throw new ConfigError('kernel-connection', messages.kernelConnectionInvalid(where, `${p} ${String(v)}`));
    ports[p] = v;
  }
  return { transport, ip, key, signature_scheme: scheme, ...ports };
}

export function readConnectionFile(path: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('kernel-connection', messages.kernelConnectionUnreadable(path), { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('kernel-connection', messages.kernelConnectionInvalid(path, 'not JSON'), { cause: e });
  }
  return parseConnectionInfo(raw, path);
}

/** The ZeroMQ endpoint of one channel. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === 'tcp' ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}
