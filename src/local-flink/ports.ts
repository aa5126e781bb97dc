import { existsSync, readFileSync } from 'node:fs';
import { choosePort } from '../local-kafka/ports.js';
import { defaultPorts, type FlinkPorts } from './config.js';
import type { FlinkPaths } from './paths.js';

/** The ports of the last start (ports.json), so a restarted cluster keeps its addresses. */
export function previousPorts(paths: FlinkPaths): Partial<FlinkPorts> {
  if (!existsSync(paths.ports)) return {};
  try {
    const v = JSON.parse(readFileSync(paths.ports, 'utf8')) as Record<string, unknown>;
    const out: { -readonly [K in keyof FlinkPorts]?: number } = {};
    for (const k of ['rpc', 'rest', 'gateway'] as const) {
      const p = v[k];
      if (typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536) out[k] = p;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The cluster's three ports: each the wanted one, else the last start's, else Flink's default
 * (6123 RPC, 8081 REST, 8083 gateway), replaced by a free port when that one is taken.
 */
export async function chooseClusterPorts(paths: FlinkPaths, wanted: Partial<FlinkPorts> = {}): Promise<FlinkPorts> {
  const previous = previousPorts(paths);
  const rpc = await choosePort(wanted.rpc ?? previous.rpc ?? defaultPorts.rpc);
  const rest = await choosePort(wanted.rest ?? previous.rest ?? defaultPorts.rest, [rpc]);
  const gateway = await choosePort(wanted.gateway ?? previous.gateway ?? defaultPorts.gateway, [rpc, rest]);
  return { rpc, rest, gateway };
}
