import { readFileSync, writeFileSync, rmSync, renameSync } from 'node:fs';
import { kafkaPaths, type KafkaPaths } from './paths.js';

/** What `windowpane kafka start` records about the broker it runs. */
export interface BrokerState {
  readonly pid: number;
  readonly port: number;
  readonly controllerPort: number;
  readonly bootstrap: string;
  readonly startedAt: string;
  readonly kafkaVersion: string;
  /** Set when the broker runs with SASL/SCRAM over TLS: who logs in, and where the secrets are. */
  readonly secure?: {
    readonly mechanism: string;
    readonly username: string;
    /** credentials.json (mode 0600): mechanism, username, password, caFile. */
    readonly credentials: string;
    /** The CA certificate (PEM) clients trust. */
    readonly ca: string;
  };
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A recycled pid would belong to some other program: check it is our broker.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

export function readBrokerState(paths: KafkaPaths = kafkaPaths()): (BrokerState & { readonly alive: boolean }) | undefined {
  let state: BrokerState;
  try {
    state = JSON.parse(readFileSync(paths.state, 'utf8')) as BrokerState;
  } catch {
    return undefined;
  }
  if (typeof state.pid !== 'number' || typeof state.bootstrap !== 'string') return undefined;
  return { ...state, alive: isProcessAlive(state.pid) };
}

export function writeBrokerState(state: BrokerState, paths: KafkaPaths = kafkaPaths()): void {
  const tmp = `${paths.state}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, paths.state);
}

export function clearBrokerState(paths: KafkaPaths = kafkaPaths()): void {
  rmSync(paths.state, { force: true });
}

/** Resident memory of a process in bytes, from /proc (undefined where unavailable). */
export function processRss(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
